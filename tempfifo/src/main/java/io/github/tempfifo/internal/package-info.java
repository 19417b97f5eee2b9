/**
 * tempfifo's implementation. The module does not export this package, so nothing here is API.
 * A class or member is public only where {@code io.github.tempfifo} calls it (on the class path
 * it is reachable, but not meant to be used); everything else is package-private, and so is the
 * whole FFM backend ({@code src/main/java22}, the same package), which {@link
 * io.github.tempfifo.internal.FifoBackend} loads through a {@code MethodHandles.Lookup}.
 */
package io.github.tempfifo.internal;
