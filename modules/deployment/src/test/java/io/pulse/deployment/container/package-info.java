/**
 * The image, {@code docker-compose.yml} and the trainer run on a real container runtime (rootful podman with runc,
 * installed by the tests themselves when missing): {@code pulse pipeline} in a container against the test's broker
 * and registry (exactly-once predictions, the image's health probe, SIGTERM within the grace period, a restart on the
 * same volume that restores nothing, non-root, read-only root file system), {@code pulse train} in a container, and
 * the Compose file itself under podman-compose with locally built stand-ins for the third-party images. Host
 * networking with every server on 127.0.0.1, or a Compose network; nothing is pulled and no traffic leaves the
 * machine.
 */
package io.pulse.deployment.container;
