// MQTT.js over WebSocket, driven by WebSocketMqttJsTest:
//   node websocket-pubsub.js URL TOPIC PROTOCOL_VERSION
// Subscribes to TOPIC, prints "subscribed", publishes "from mqtt.js" (QoS 1) to it and prints
// "received <payload>" for each message until it has seen that one and "from tcp" (which the test
// publishes over TCP once it read "subscribed"). Exits 0 then (an error while ending is ignored), 1 on an
// error before, 2 after 15 s.
'use strict';
const mqtt = require('mqtt');

const [url, topic, version] = process.argv.slice(2);
const expected = new Set(['from mqtt.js', 'from tcp']);
// Set once both messages arrived: the broker closes the socket right after our DISCONNECT, and a reset
// seen while MQTT.js ends the WebSocket (ECONNRESET) is not a failure of what this script checks.
let done = false;
const client = mqtt.connect(url, {
    protocolVersion: Number(version),
    clientId: 'mqttjs-' + process.pid,
    reconnectPeriod: 0,
    connectTimeout: 10000,
});

setTimeout(() => {
    console.log('timeout; still waiting for ' + [...expected].join(', '));
    process.exit(2);
}, 15000).unref();

client.on('error', (error) => {
    console.log('error ' + error.message);
    process.exit(done ? 0 : 1);
});

client.on('connect', () => {
    client.subscribe(topic, { qos: 1 }, (error, granted) => {
        if (error || granted[0].qos !== 1) {
            console.log('subscribe failed ' + (error ? error.message : JSON.stringify(granted)));
            process.exit(1);
        }
        console.log('subscribed');
        client.publish(topic, 'from mqtt.js', { qos: 1 });
    });
});

client.on('message', (_topic, payload) => {
    const text = payload.toString();
    console.log('received ' + text);
    expected.delete(text);
    if (expected.size === 0) {
        done = true;
        client.end(false, () => process.exit(0));
    }
});
