// The chat screen's browser scenario (phase "chat" of console.e2e.mjs; a worker runs, no language model is
// configured): upload a document into its own collection, start a thread over that collection, see an empty
// question's problem, ask, watch the extractive answer stream in, click a citation, and find the stored
// answer again after a reload.
import assert from 'node:assert/strict';

const TIMEOUT = 120_000;

export async function chat(page, {env, signIn, upload, shot, problemShown}) {
  await page.goto(env('QUARRY_CONSOLE_URL'));
  await signIn(page, env('QUARRY_USER_TOKEN'));
  await page.getByRole('heading', {name: 'Upload', exact: true}).waitFor();
  await page.getByLabel('Collection').fill('chat-e2e');
  const item = await upload(page, env('QUARRY_CHAT_SAMPLE'));
  await item.locator('.status', {hasText: 'SUCCEEDED'}).waitFor({timeout: TIMEOUT});

  await page.getByRole('link', {name: 'Chat'}).click();
  await page.getByRole('heading', {name: 'Chat', exact: true}).waitFor();
  await page.getByLabel('Title').fill('Durable jobs');
  // the thread also reads the worker phase's collection: two passages, so the answer comes in several deltas
  await page.getByLabel('Collections (comma-separated)').fill('chat-e2e, guide');
  await page.getByRole('button', {name: 'New thread'}).click();
  await page.getByRole('heading', {name: 'Durable jobs'}).waitFor();
  await page.locator('#threads li[aria-current="true"]', {hasText: 'Durable jobs'}).waitFor();

  // Blank content passes the form's "required" but not the API: its problem is shown, and nothing is asked.
  await page.getByLabel('Question').fill('   ');
  await page.getByRole('button', {name: 'Send'}).click();
  await problemShown(page, /empty/i);
  assert.equal(await page.locator('.message').count(), 0, 'a refused question leaves no message');

  // Record the answer's length at each render: a length between none and the whole answer means it was shown
  // while it streamed, not only at the end. Each render replaces the text's nodes, so a record's added nodes
  // hold that render's text; the target's textContent would be read when the observer runs, after every render
  // of the same task (a quiet machine delivered all deltas in one chunk and saw only the whole answer).
  await page.evaluate(() => {
    window.answerLengths = [];
    new MutationObserver((records) => {
      for (const r of records) {
        if (!r.target.classList?.contains('answer-text') || r.addedNodes.length === 0) continue;
        window.answerLengths.push([...r.addedNodes].map((node) => node.textContent).join('').length);
      }
    }).observe(document.getElementById('messages'), {childList: true, subtree: true});
  });
  await page.getByLabel('Question').fill(env('QUARRY_CHAT_QUESTION'));
  await page.getByRole('button', {name: 'Send'}).click();
  const answer = page.locator('article.message.assistant').last();
  await answer.locator('.answer-text', {hasText: 'No language model is configured'}).waitFor({timeout: TIMEOUT});
  await answer.and(page.locator('[data-done="true"]')).waitFor({timeout: TIMEOUT});
  await answer.locator('.answer-meta', {hasText: 'extractive answer'}).waitFor();
  const whole = (await answer.locator('.answer-text').textContent()).length;
  const lengths = await page.evaluate(() => window.answerLengths);
  assert.ok(lengths.some((length) => length > 0 && length < whole),
    `part of the answer was shown before the rest arrived (lengths ${lengths}, whole ${whole})`);

  // A [n] marker in the text opens its passage; the uploaded document's entry in the list shows the document.
  const marker = answer.locator('.marker').first();
  const number = (await marker.textContent()).trim();
  await marker.click();
  const passage = page.getByRole('complementary', {name: 'Cited passage'});
  await passage.locator('h3', {hasText: number}).waitFor();
  await answer.locator('.cite', {hasText: /durable/i}).first().click();
  await passage.locator('.passage-text', {hasText: /worker/i}).waitFor();
  await passage.locator('.document dd', {hasText: 'durable-jobs.txt'}).waitFor();
  await shot(page, 'chat');

  // After a reload, the thread and its stored answer are read back from the API.
  await page.reload();
  await page.getByRole('button', {name: 'Durable jobs'}).click();
  const stored = page.locator('article.message.assistant[data-done="true"]');
  await stored.locator('.answer-text', {hasText: 'No language model is configured'}).waitFor();
  await stored.locator('.cite', {hasText: /durable/i}).first().click();
  await passage.locator('.document dd', {hasText: 'durable-jobs.txt'}).waitFor();
  console.log('chat answered and cited');
}
