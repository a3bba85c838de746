/**
 * The {@code pulse} command line: one entry point for every part of Pulse ({@code pulse infra}, {@code pulse
 * simulate}, and later the pipeline, trainer, demo and benchmarks), run by the {@code ./pulse} script at the
 * repository root. Settings resolve as defaults &lt; environment variables &lt; flags.
 */
package io.pulse.cli;
