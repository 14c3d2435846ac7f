// The dashboard, in a real browser: it loads behind HTTP Basic authentication and shows the client the
// JUnit test connected; its publish panel sends a message (the JUnit test's mosquitto_sub receives it);
// its live view shows a message the JUnit test sends with mosquitto_pub after this script says WATCHING.
import { env, say, waitForLine, withBrowser } from './lib/browser.mjs';

const url = env('ESTAFETA_HTTP_URL');
const clientId = env('EXPECT_CLIENT_ID');
const publishTopic = env('PUBLISH_TOPIC');
const publishPayload = env('PUBLISH_PAYLOAD');
const watchFilter = env('WATCH_FILTER');
const watchPayload = env('WATCH_PAYLOAD');
const TIMEOUT = 15000;

await withBrowser({
  httpCredentials: { username: env('ADMIN_USER'), password: env('ADMIN_PASSWORD') },
}, async (page, shot) => {
  page.setDefaultTimeout(TIMEOUT);
  const response = await page.goto(url);
  if (response.status() !== 200) {
    throw new Error(`dashboard answered ${response.status()}`);
  }
  say('STEP loaded');

  // The connected client appears in the clients table, marked connected, with a disconnect button.
  const row = page.locator(`tr[data-client-row="${clientId}"]`);
  await row.waitFor();
  await row.getByText('connected', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Disconnect' }).waitFor();
  // Live figures arrive over the stats stream.
  await page.locator('#live-status.status-on').waitFor();
  await page.waitForFunction(() => Number(document.getElementById('kpi-connected').textContent) >= 1);
  say('STEP client-shown');
  // The bridges panel says there are none (this broker has no connection lines).
  await page.locator('#bridges-body').getByText('No bridges configured.').waitFor();
  say('STEP bridges-shown');
  // The search narrows the table.
  await page.fill('#client-search', 'no-such-client');
  await row.waitFor({ state: 'detached' });
  await page.fill('#client-search', clientId.slice(0, 4));
  await row.waitFor();
  await shot('dashboard-client');

  // Publish from the panel.
  await page.fill('#publish-topic', publishTopic);
  await page.fill('#publish-payload', publishPayload);
  await page.selectOption('#publish-qos', '1');
  await page.click('#publish-button');
  await page.locator('#publish-result.ok').waitFor();
  say('STEP published');
  await shot('dashboard-published');

  // Watch a filter live; the JUnit test publishes with mosquitto_pub once told.
  await page.fill('#watch-filter', watchFilter);
  await page.click('#watch-button');
  await page.locator('#watch-status[data-state="watching"]').waitFor();
  say('WATCHING');
  await waitForLine('GO');
  const watched = page.locator('#watch-log li.watched', { hasText: watchPayload });
  await watched.waitFor();
  say('STEP watched');
  await shot('dashboard-watch');

  // A narrow window: the panels stack and nothing needs horizontal scrolling.
  await page.setViewportSize({ width: 420, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) {
    throw new Error(`the page is ${overflow}px wider than a 420px window`);
  }
  await shot('dashboard-narrow');
});
