package io.github.tempfifo.bench.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings of every tempfifo benchmark, in one place (JMH reads its annotations from
 * superclasses; a benchmark's own class or method annotations win): the benchmark object is
 * the shared state, average time per call, 3 warm-up and 5 measured iterations of 2 s, one fork
 * with native access for the FFM backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public abstract class BenchmarkDefaults {
}
