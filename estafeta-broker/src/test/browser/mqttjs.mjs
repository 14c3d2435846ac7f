// MQTT.js in a real browser: the page (mqttjs-page.html, served by MqttJsBrowserTest with MQTT.js's browser
// bundle) connects over WebSocket and subscribes; this script says SUBSCRIBED, waits for GO (the JUnit test
// has sent a message with mosquitto_pub), checks the page shows it, then publishes from the page's form and
// waits for the PUBACK (the JUnit test's TCP subscriber checks it arrives).
import { env, say, waitForLine, withBrowser } from './lib/browser.mjs';

const url = env('PAGE_URL');
const receivePayload = env('RECEIVE_PAYLOAD');
const publishTopic = env('PUBLISH_TOPIC');
const publishPayload = env('PUBLISH_PAYLOAD');
const TIMEOUT = 15000;

await withBrowser({}, async (page, shot) => {
  page.setDefaultTimeout(TIMEOUT);
  const response = await page.goto(url);
  if (response.status() !== 200) {
    throw new Error(`the test page answered ${response.status()}`);
  }
  await page.locator('#status[data-state="subscribed"]').waitFor();
  say('STEP subscribed');
  await shot('mqttjs-subscribed');
  say('SUBSCRIBED');
  await waitForLine('GO');

  await page.locator('#received li.received', { hasText: receivePayload }).waitFor();
  say('STEP received');
  await shot('mqttjs-received');

  await page.fill('#publish-topic', publishTopic);
  await page.fill('#publish-payload', publishPayload);
  await page.click('#publish-button');
  await page.locator('#publish-result.ok').waitFor();
  say('STEP published');
  await shot('mqttjs-published');
});
