// A Confluent-compatible consumer outside the JVM: kafkajs for transport and Confluent's own
// JavaScript Avro deserializer (@confluentinc/schemaregistry) against a real Schema Registry.
// Usage: node consume.js --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \
//          --topic user-events --count 100 [--timeout-ms 60000]
// Prints one JSON line per decoded record ({"key":...,"value":...}) and exits 0 once --count
// records were decoded, 1 on timeout or on any record that does not decode.
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { AvroDeserializer, SchemaRegistryClient, SerdeType } = require('@confluentinc/schemaregistry');
const { parseArgs } = require('./args');

async function main() {
  const args = parseArgs(process.argv.slice(2), { timeoutMs: '60000' }, ['bootstrap', 'registry', 'topic', 'count']);
  const want = Number(args.count);
  const registry = new SchemaRegistryClient({ baseURLs: [args.registry] });
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const kafka = new Kafka({ clientId: 'confluent-interop-consumer', brokers: [args.bootstrap], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `confluent-interop-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: args.topic, fromBeginning: true });

  let seen = 0;
  let failed = null;
  const done = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`timed out after ${args.timeoutMs} ms with ${seen} of ${want} records`),
      Number(args.timeoutMs));
    consumer.run({
      eachMessage: async ({ message }) => {
        if (seen >= want || failed) return;
        try {
          const value = await deserializer.deserialize(args.topic, message.value);
          const key = message.key === null ? null : message.key.toString('utf8');
          process.stdout.write(JSON.stringify({ key, value }, (k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
          seen += 1;
          if (seen >= want) { clearTimeout(timer); resolve(null); }
        } catch (e) {
          failed = `record at offset ${message.offset} did not decode: ${e.message}`;
          clearTimeout(timer);
          resolve(failed);
        }
      },
    });
  });
  const error = await done;
  await consumer.disconnect();
  if (error) { console.error(error); process.exit(1); }
  console.error(`decoded ${seen} records from ${args.topic}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
