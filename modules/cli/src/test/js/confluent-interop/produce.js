// A Confluent-compatible producer outside the JVM: kafkajs for transport and Confluent's own
// JavaScript Avro serializer (@confluentinc/schemaregistry) against a real Schema Registry,
// registering the contract schema file exactly as any non-Java producer would.
// Usage: node produce.js --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 \
//          --topic user-events --schema ../../../../../../schemas/UserEvent.avsc --count 20
// Produces --count UserEvents for users js-user-0..4, keyed by userId, and prints their eventIds.
'use strict';
const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');
const { AvroSerializer, SchemaRegistryClient, SerdeType } = require('@confluentinc/schemaregistry');
const { parseArgs } = require('./args');

const TYPES = ['VIEW', 'CLICK', 'ADD_TO_CART', 'PURCHASE', 'LOGIN', 'PAYMENT'];

async function main() {
  const args = parseArgs(process.argv.slice(2), {}, ['bootstrap', 'registry', 'topic', 'schema', 'count']);
  const registry = new SchemaRegistryClient({ baseURLs: [args.registry] });
  const schema = JSON.stringify(JSON.parse(fs.readFileSync(args.schema, 'utf8')));
  await registry.register(`${args.topic}-value`, { schemaType: 'AVRO', schema });
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const kafka = new Kafka({ clientId: 'confluent-interop-producer', brokers: [args.bootstrap], logLevel: logLevel.ERROR });
  const producer = kafka.producer();
  await producer.connect();
  const start = Date.UTC(2026, 0, 1);
  const messages = [];
  for (let i = 0; i < Number(args.count); i++) {
    const userId = `js-user-${i % 5}`;
    const type = TYPES[i % TYPES.length];
    const moves = type === 'PURCHASE' || type === 'PAYMENT';
    const value = {
      eventId: `js-${process.pid}-${i}`, userId, type, eventTime: start + i * 60000,
      itemId: `item-${i % 7}`, category: `1>${1 + (i % 4)}`, amount: moves ? 10 + i : null, rating: null,
      sessionId: null, attributes: { producer: 'node' },
    };
    messages.push({ key: userId, value: await serializer.serialize(args.topic, value) });
    console.log(value.eventId);
  }
  await producer.send({ topic: args.topic, messages });
  await producer.disconnect();
}

main().catch((e) => { console.error(e); process.exit(1); });
