/**
 * Tests of the probes shipped in the image, run on the build machine: exit codes for healthy, unhealthy and
 * misused calls. {@code ImageTarballTest} runs the same probes inside the image.
 */
package io.pulse.deployment.probe;
