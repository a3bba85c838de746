/**
 * Specifications of Pulse's deployment artefacts: the container image tarball ({@code ImageTarballTest}, after
 * {@code package}, integration tier), {@code docker-compose.yml}, the Prometheus and Grafana files it mounts, and
 * {@code deploy/kubernetes/}. The files are parsed and checked against each other and against Pulse itself: its
 * configuration keys ({@code PulseConfig}, Kafka's config definitions), the metrics it exports, its HTTP endpoints
 * and the image's name, user and paths. {@code DocumentationLinksTest} checks that every relative link in the README
 * and {@code docs/} leads to an existing file and heading.
 */
package io.pulse.deployment;
