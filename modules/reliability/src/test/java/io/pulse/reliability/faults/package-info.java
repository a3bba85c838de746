/**
 * Fault injection: kill -9 restarts, a broker restart, a Schema Registry outage and instances joining and leaving
 * under load. Each test states the guarantee it proves in its name; the README's "Guarantees under faults" section
 * lists them.
 */
package io.pulse.reliability.faults;
