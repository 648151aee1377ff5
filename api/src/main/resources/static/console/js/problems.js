// The one place errors are shown: every failed call's problem+json title and detail, as the API wrote them.
const box = () => document.getElementById('problem');

export function showProblem(problem) {
  const element = box();
  element.querySelector('.problem-title').textContent = problem.title ?? 'Error';
  element.querySelector('.problem-status').textContent =
    [problem.status ? `HTTP ${problem.status}` : null, problem.type && problem.type !== 'about:blank' ? problem.type : null]
      .filter(Boolean).join(' · ');
  element.querySelector('.problem-detail').textContent = problem.detail ?? problem.message ?? '';
  element.hidden = false;
}

export function clearProblem() {
  box().hidden = true;
}

/** Runs an action, showing its problem (an aborted call shows nothing); resolves with its result or undefined. */
export async function reporting(action) {
  try {
    return await action();
  } catch (error) {
    if (error?.name !== 'AbortError') showProblem(error);
    return undefined;
  }
}
