/**
 * Secure temporary named pipes (FIFOs): {@link io.github.tempfifo.TempFifo} creates one in a
 * private directory, opens its ends with timeouts that can be interrupted and cancelled, and
 * removes it on close, at exit, and after crashes ({@link io.github.tempfifo.TempFifo#sweep}).
 */
package io.github.tempfifo;
