# shellcheck shell=bash
# Ingests samples/ through the real API, printing each job's live events, then shows a search.

upload() { # upload FILE TOKEN -> prints the JSON answer
  local file=$1 token=$2 key answer wait attempt
  # Keyed by content: running 'up' again replays the first answers instead of ingesting twice.
  key="sample-$(sha256sum "$file" | cut -c1-40)"
  for attempt in 1 2 3 4 5; do
    answer=$(curl -sS -X POST "$API_URL/api/v1/documents" \
      -H "Authorization: Bearer $token" -H "Idempotency-Key: $key" \
      -F "file=@$file" \
      -F "metadata={\"collection\":\"samples\",\"source\":\"samples/$(basename "$file")\",\"reliability\":\"official\"};type=application/json")
    # A rate limit (this address's bucket, when 'up' runs again within a minute) says when to come back.
    [ "$(jq -r '.status // empty' <<<"$answer" 2>/dev/null)" = 429 ] || break
    wait=$(jq -r '.detail' <<<"$answer" | grep -o 'retry in [0-9]*' | grep -o '[0-9]*$')
    log "rate limited; retrying $(basename "$file") in ${wait:-5} s"
    sleep "${wait:-5}"
  done
  printf '%s\n' "$answer"
}

follow_events() { # follow_events JOB_ID TOKEN LABEL: prints the SSE stream until its terminal event
  local job=$1 token=$2 label=$3 event="" line
  curl -sSN --max-time 300 -H "Authorization: Bearer $token" -H "Accept: text/event-stream" \
    "$API_URL/api/v1/jobs/$job/events" | while IFS= read -r line; do
    line=${line%$'\r'}
    case "$line" in
      event:*) event=${line#event:} ;;
      data:*)
        local data=${line#data:}
        case "$event" in
          progress) printf '  %-24s %-9s %-10s %s\n' "$label" "$event" \
                      "$(jq -r '.step' <<<"$data")" "$(jq -r '"\(.done)/\(.total) (\(.percent)%)"' <<<"$data")" ;;
          *) printf '  %-24s %-9s %s\n' "$label" "$event" "$(jq -c 'del(.status)' <<<"$data")" ;;
        esac ;;
    esac
  done
}

ingest_samples() {
  local token answer job
  # The demo's uploads come in a burst: eight at an upload's cost exceed the default (free) tier's minute.
  token=$(mint_token demo user enterprise)
  log "ingesting samples/ as tenant 'demo' (live events from /api/v1/jobs/{id}/events)"
  local -a jobs=() labels=()
  for f in "$ROOT"/samples/*; do
    answer=$(upload "$f" "$token")
    job=$(jq -r '.jobId // empty' <<<"$answer")
    [ -n "$job" ] || die "upload of $(basename "$f") failed: $answer"
    jobs+=("$job"); labels+=("$(basename "$f")")
  done
  for i in "${!jobs[@]}"; do follow_events "${jobs[$i]}" "$token" "${labels[$i]}"; done
}

show_search() {
  local token q=${1:-"how does hybrid search combine keyword and vector results"}
  token=$(mint_token demo user)
  log "search: \"$q\""
  curl -sS -G "$API_URL/api/v1/search" -H "Authorization: Bearer $token" \
    --data-urlencode "q=$q" --data-urlencode "k=3" \
    | jq -r '.hits[0] // error("no hits") | "  top hit: \(.title)  (fused \(.score), keyword \(.keywordScore), vector \(.vectorScore))\n  \(.text[0:300])"'
}
