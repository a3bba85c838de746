/**
 * Implementation details of {@code io.pulse.model}: the packed weight layout, the scalar and Vector API step kernels,
 * the fast exp/sigmoid/tanh approximations they share, and tensor plumbing. Not a public API; it may change in any
 * release.
 */
package io.pulse.model.internal;
