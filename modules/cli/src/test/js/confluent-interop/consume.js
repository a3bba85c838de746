// A Confluent-compatible consumer outside the JVM: kafkajs for transport and Confluent's own
// JavaScript Avro deserializer (@confluentinc/schemaregistry) against a real Schema Registry.
// Usage: node consume.js --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \
//          --topic user-events --count 100 [--timeout-ms 60000] [--reader-schema OLD.avsc]
// Prints one JSON line per decoded record ({"key":...,"value":...}; a tombstone's value is null) and
// exits 0 once --count records were decoded, 1 on timeout or on any record that does not decode.
// With --reader-schema, values are resolved into that schema (a consumer built against an older
// contract): the writer schema comes from the registry by the record's schema id, avsc resolves.
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { AvroDeserializer, SchemaRegistryClient, SerdeType } = require('@confluentinc/schemaregistry');
const fs = require('fs');
const avro = require('avsc');
const { parseArgs } = require('./args');

// Decodes Confluent wire format (magic 0, 4-byte schema id, Avro binary) into an older reader schema.
function oldSchemaReader(registry, topic, readerSchemaFile) {
  const reader = avro.Type.forSchema(JSON.parse(fs.readFileSync(readerSchemaFile, 'utf8')));
  const resolvers = new Map();
  return async (bytes) => {
    if (bytes[0] !== 0) throw new Error(`magic byte ${bytes[0]}, expected 0`);
    const id = bytes.readInt32BE(1);
    if (!resolvers.has(id)) {
      const info = await registry.getBySubjectAndId(`${topic}-value`, id);
      resolvers.set(id, reader.createResolver(avro.Type.forSchema(JSON.parse(info.schema))));
    }
    return reader.fromBuffer(bytes.subarray(5), resolvers.get(id));
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { timeoutMs: '60000' }, ['bootstrap', 'registry', 'topic', 'count']);
  const want = Number(args.count);
  const registry = new SchemaRegistryClient({ baseURLs: [args.registry] });
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const decode = args.readerSchema
    ? oldSchemaReader(registry, args.topic, args.readerSchema)
    : (bytes) => deserializer.deserialize(args.topic, bytes);
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
          const value = message.value === null ? null : await decode(message.value);
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
