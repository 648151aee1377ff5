// The web console's end-to-end scenarios, in a real, headless Chromium (Debian's package) driven by
// playwright-core. ConsoleBrowserIT starts the API (and, for the second phase, a worker) and runs:
//   node console.e2e.mjs queued   no worker yet: sign in (a bad token first), upload, list and cancel the job
//   node console.e2e.mjs worker   a worker runs: upload and watch 100 %, search with highlights and filters,
//                                 a corrupt PDF dead-lettered, and an admin requeues it
//   node console.e2e.mjs chat     a worker runs: a thread, a streamed answer and its citation (chat.phase.mjs)
// Every wait is Playwright's (auto-waiting locators, waitFor), never a fixed sleep. Exit code 0: all passed.
import {chromium} from 'playwright-core';
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {chat} from './chat.phase.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const CONSOLE_URL = env('QUARRY_CONSOLE_URL');
const USER_TOKEN = env('QUARRY_USER_TOKEN');
const ADMIN_TOKEN = env('QUARRY_ADMIN_TOKEN');
const SCREENSHOTS = env('QUARRY_SCREENSHOTS');
const TIMEOUT = 120_000;

const phases = {
  async queued(page) {
    await page.goto(CONSOLE_URL);
    await page.getByRole('heading', {name: 'Sign in to Quarry'}).waitFor();
    await shot(page, 'sign-in');

    // A token the API refuses: its problem's title and detail are shown, and the console stays signed out.
    const [header, payload] = USER_TOKEN.split('.');
    await signIn(page, `${header}.${payload}.${'A'.repeat(43)}`);
    await problemShown(page, /unauthori[sz]ed/i);
    await page.getByRole('heading', {name: 'Sign in to Quarry'}).waitFor();

    await signIn(page, USER_TOKEN);
    await page.getByRole('heading', {name: 'Upload', exact: true}).waitFor();
    assert.equal(await page.getByRole('link', {name: 'Dead letters'}).count(), 0,
      'a user without an admin role sees no dead letters screen');

    // No worker runs yet, so the job waits in the queue until it is cancelled.
    const item = await upload(page, env('QUARRY_SAMPLE'));
    await item.locator('.status', {hasText: 'QUEUED'}).waitFor();
    const jobId = await item.getAttribute('data-job');

    await page.getByRole('link', {name: 'Jobs'}).click();
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.locator('.status', {hasText: 'QUEUED'}).waitFor();
    await shot(page, 'jobs');
    await row.getByRole('button', {name: `Cancel job ${jobId}`}).click();
    await row.locator('.status', {hasText: 'CANCELLED'}).waitFor();
    assert.equal(await row.getByRole('button').count(), 0, 'a cancelled job offers no cancel');

    // The list filters by status through the API.
    await page.getByLabel('Status').selectOption('SUCCEEDED');
    await page.getByText('No jobs.').waitFor();
    console.log(`cancelled ${jobId}`);
  },

  async worker(page) {
    await page.goto(CONSOLE_URL);
    await signIn(page, USER_TOKEN);
    await page.getByRole('heading', {name: 'Upload', exact: true}).waitFor();

    await page.getByLabel('Collection').fill('guide');
    await page.getByLabel('Tags (comma-separated)').fill('console, e2e');
    const item = await upload(page, env('QUARRY_SAMPLE'));
    await item.locator('.status', {hasText: 'SUCCEEDED'}).waitFor({timeout: TIMEOUT});
    assert.equal(await item.locator('progress').evaluate((bar) => bar.value), 100);
    await item.locator('.percent', {hasText: '100 %'}).waitFor();
    await shot(page, 'upload');

    await page.getByRole('link', {name: 'Search'}).click();
    const word = env('QUARRY_SEARCH_WORD');
    await page.getByLabel('Query').fill(word);
    await page.getByLabel('Collection').fill('guide');
    await page.getByRole('button', {name: 'Search'}).click();
    const hit = page.locator('article.hit').first();
    await hit.waitFor();
    const highlighted = await hit.locator('.snippet b').allTextContents();
    assert.ok(highlighted.length > 0, 'the snippet highlights the query');
    assert.ok(highlighted.some((text) => text.toLowerCase().includes(word.toLowerCase())),
      `the query's word is among the highlights: ${highlighted}`);
    await hit.locator('.tag', {hasText: 'console'}).waitFor();
    await shot(page, 'search');

    // Filters reach the API: another collection, or the keyword mode with a word nowhere, find nothing.
    await page.getByLabel('Collection').fill('no-such-collection');
    await page.getByRole('button', {name: 'Search'}).click();
    await page.getByText('Nothing matches.').waitFor();
    // A bad parameter: the API's problem is shown as it wrote it.
    await page.getByLabel('Collection').fill('');
    await page.getByLabel('Time decay half-life').fill('thirty days');
    await page.getByRole('button', {name: 'Search'}).click();
    await problemShown(page, /invalid parameter/i);

    // A corrupt PDF fails permanently: dead-lettered at once.
    await page.getByRole('link', {name: 'Upload'}).click();
    const corrupt = await upload(page, env('QUARRY_CORRUPT'));
    await corrupt.locator('.status', {hasText: 'DEAD_LETTERED'}).waitFor({timeout: TIMEOUT});
    const deadJob = await corrupt.getAttribute('data-job');

    await page.getByRole('button', {name: 'Sign out'}).click();
    await signIn(page, ADMIN_TOKEN);
    await page.getByRole('link', {name: 'Dead letters'}).click();
    const row = page.locator(`tr[data-job="${deadJob}"]`);
    await row.waitFor();
    await shot(page, 'dead-letters');
    await row.getByRole('button', {name: `Requeue job ${deadJob}`}).click();
    await row.getByText('Requeued: QUEUED').waitFor();
    console.log(`requeued ${deadJob}`);
  },

  async analytics(page) {
    // A user's requests first: the Jobs screen lists through GET /api/v1/jobs, and Refresh asks again.
    await page.goto(CONSOLE_URL);
    await signIn(page, USER_TOKEN);
    await page.getByRole('link', {name: 'Jobs'}).click();
    await page.getByRole('table', {name: 'Jobs'}).waitFor();
    await page.getByRole('button', {name: 'Refresh'}).click();
    await page.getByRole('button', {name: 'Refresh'}).click();
    assert.equal(await page.getByRole('link', {name: 'Analytics'}).count(), 0, 'a user sees no analytics');
    await page.getByRole('button', {name: 'Sign out'}).click();

    await signIn(page, ADMIN_TOKEN);
    await page.getByRole('link', {name: 'Analytics'}).click();
    await page.getByRole('heading', {name: 'Analytics'}).waitFor();
    // Tracking writes a request a moment after its answer: refresh until the user's list calls are counted.
    const jobsRow = page.getByRole('table', {name: 'Endpoints'}).locator('tr', {hasText: 'GET /api/v1/jobs'});
    for (let attempt = 1; ; attempt++) {
      await Promise.all([
        page.waitForResponse((response) => response.url().includes('/api/v1/admin/analytics/api-usage')),
        page.getByRole('button', {name: 'Refresh'}).click()]);
      const counted = await jobsRow.count() ? Number(await jobsRow.locator('td').nth(1).textContent()) : 0;
      if (counted >= 3) break;
      assert.ok(attempt < 100, `GET /api/v1/jobs counted ${counted} times, not the user's 3 or more`);
    }
    const requests = await page.locator('[data-figure="requests"] .value').textContent();
    assert.ok(Number(requests.replace(/,/g, '')) >= 3, `the requests figure counts the user's requests: ${requests}`);
    assert.ok(await page.locator('svg.chart').count() >= 2, 'the dashboard draws its charts');
    assert.ok(await page.locator('svg.chart rect:not([height="0"])').count() > 0, 'the charts have bars');
    await page.getByText(/refreshes every 30 s/).waitFor();
    await shot(page, 'analytics');

    // A range that ends before it starts: the API's problem is shown as it wrote it.
    await page.getByLabel('From', {exact: true}).fill('2026-03-02');
    await page.getByLabel('To', {exact: true}).fill('2026-03-01');
    await page.getByRole('button', {name: 'Refresh'}).click();
    await problemShown(page, /invalid parameter/i);
    console.log(`analytics counted ${requests} requests`);
  },
};

phases.chat = (page) => chat(page, {env, signIn, upload, shot, problemShown});

async function signIn(page, token) {
  await page.getByLabel('Bearer token (JWT)').fill(token);
  await page.getByRole('button', {name: 'Sign in'}).click();
}

async function upload(page, file) {
  const before = await page.locator('.upload-item').count();
  await page.getByLabel(/^Files/).setInputFiles(file);
  await page.getByRole('button', {name: 'Upload', exact: true}).click();
  const item = page.locator('.upload-item').first();
  await page.locator('.upload-item').nth(before).waitFor();
  await item.locator('.job-id', {hasText: /[0-9a-f-]{36}/}).waitFor();
  return item;
}

async function problemShown(page, title) {
  const problem = page.getByRole('alert');
  await problem.locator('.problem-title', {hasText: title}).waitFor();
  const detail = await problem.locator('.problem-detail').textContent();
  assert.ok(detail.trim().length > 0, 'the problem detail is shown');
  await problem.getByRole('button', {name: 'Dismiss'}).click();
  await problem.waitFor({state: 'hidden'});
}

async function shot(page, name) {
  mkdirSync(SCREENSHOTS, {recursive: true});
  await page.screenshot({path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true});
}

const phase = phases[process.argv[2]];
if (!phase) {
  console.error(`usage: node console.e2e.mjs ${Object.keys(phases).join('|')}`);
  process.exit(2);
}
const browser = await chromium.launch({executablePath: process.env.QUARRY_CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ['--no-sandbox']});
let failed = false;
try {
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await phase(page);
  // Failed fetches the scenarios provoked (401, 400) log as console errors; script errors and CSP reports do not.
  const unexpected = pageErrors.filter((text) => !/status of (400|401)/.test(text));
  assert.deepEqual(unexpected, [], 'no script error and no Content-Security-Policy violation');
  console.log(`console e2e phase ${process.argv[2]}: passed`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
