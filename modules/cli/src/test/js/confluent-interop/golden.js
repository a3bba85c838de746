// Writes golden Confluent wire-format vectors with Confluent's own JavaScript serializer
// (@confluentinc/schemaregistry, backed by its in-memory registry client).
// Usage: node golden.js SCHEMAS_DIR OUT_JSON
// The output is committed as a test fixture; Pulse's Java deserializer must decode every vector.
'use strict';
const fs = require('fs');
const path = require('path');
const { AvroSerializer, MockClient, SerdeType } = require('@confluentinc/schemaregistry');

const [schemasDir, outFile] = process.argv.slice(2);
if (!schemasDir || !outFile) {
  console.error('usage: node golden.js SCHEMAS_DIR OUT_JSON');
  process.exit(2);
}

// Test data, chosen to cover every Avro construct the contracts use:
// enums, nullable unions both ways, maps (empty and not), arrays of records, floats, doubles,
// timestamp-millis as plain epoch millis, non-ASCII strings.
const cases = [
  { name: 'user-event-minimal', schema: 'UserEvent', value: {
      eventId: 'e-0001', userId: 'u-42', type: 'VIEW', eventTime: 1767225600000,
      itemId: null, category: null, amount: null, rating: null, sessionId: null, attributes: {} } },
  { name: 'user-event-full', schema: 'UserEvent', value: {
      eventId: '6f1c2a9e-3b7d-4c52-9d1e-0a8b7c6d5e4f', userId: 'ü-Zoë-7', type: 'PAYMENT', eventTime: 1767229199123,
      itemId: 'terminal-0815', category: 'groceries', amount: 123.45, rating: null, sessionId: 's-9',
      attributes: { device: 'ios', country: 'DE' } } },
  { name: 'user-event-rating', schema: 'UserEvent', value: {
      eventId: 'e-0003', userId: 'u-7', type: 'RATING', eventTime: 0,
      itemId: 'movie-1', category: null, amount: null, rating: 4.5, sessionId: null, attributes: {} } },
  { name: 'label-fraud', schema: 'Label', value: {
      userId: 'u-42', kind: 'FRAUD', positive: true, eventId: 'e-0002',
      appliesAt: 1767229199123, observedAt: 1767834000000, source: 'chargeback' } },
  { name: 'alert-churn', schema: 'Alert', value: {
      alertId: 'a-1', userId: 'u-42', kind: 'CHURN', trigger: 'INACTIVITY', score: 0.91, threshold: 0.8,
      raisedAt: 1767834000000, eventId: null, lastSeen: 1767229199123, modelVersion: 'v1',
      summary: 'silent for 7 days, usually active daily',
      reasons: [ { feature: 'gap_vs_median', value: 7.0, contribution: 0.6, entity: null },
                 { feature: 'purchases_30d', value: 0.0, contribution: 0.2, entity: null },
                 { feature: 'terminal_risk_7d', value: 0.4, contribution: 0.1, entity: 'terminal:T-17' } ] } },
];

async function main() {
  const vectors = [];
  for (const c of cases) {
    // A fresh registry per vector, so every vector's schema id is 1, as a fresh Pulse mock scope would assign.
    const client = new MockClient({ baseURLs: ['mock://golden'] });
    const schemaText = fs.readFileSync(path.join(schemasDir, c.schema + '.avsc'), 'utf8');
    // Register exactly the contract file, as any producer in another language would.
    const id = await client.register('golden-value', { schemaType: 'AVRO', schema: JSON.stringify(JSON.parse(schemaText)) });
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    const bytes = await serializer.serialize('golden', c.value);
    vectors.push({ name: c.name, schema: c.schema, subject: 'golden-value', schemaId: id,
                   value: c.value, hex: Buffer.from(bytes).toString('hex') });
  }
  const producedBy = require('@confluentinc/schemaregistry/package.json');
  fs.writeFileSync(outFile, JSON.stringify({
    producedBy: `${producedBy.name}@${producedBy.version} AvroSerializer (node ${process.version})`,
    vectors }, null, 2) + '\n');
  console.log(`wrote ${vectors.length} vectors to ${outFile}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
