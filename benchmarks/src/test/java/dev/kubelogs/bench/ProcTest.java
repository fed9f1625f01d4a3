package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcTest {

    @Test
    void thisProcessHasCpuTimeAndMemoryAndAGoneOneHasNone() throws Exception {
        Proc.Sample self = Proc.read(Proc.selfPid());

        assertThat(self).isNotNull();
        assertThat(self.cpuNanos()).isPositive();
        assertThat(self.rssKb()).isPositive();
        assertThat(self.hwmKb()).isGreaterThanOrEqualTo(self.rssKb());
        assertThat(self.rssMb()).isEqualTo(self.rssKb() / 1024.0);

        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(Proc.read(p.pid())).isNull();
    }

    @Test
    void theJvmsNativeThreadsAreGroupedByKind() {
        Map<String, Long> byKind = Proc.nativeThreadCpuNanos(Proc.selfPid());

        assertThat(byKind).containsKey("VM");
        assertThat(byKind.keySet()).isSubsetOf("GC", "JIT", "RocksDB", "VM");
    }

    @Test
    void threadNamesMapToTheirKind() {
        assertThat(Proc.nativeKind("GC Thread#0")).isEqualTo("GC");
        assertThat(Proc.nativeKind("G1 Conc#0")).isEqualTo("GC");
        assertThat(Proc.nativeKind("C2 CompilerThre")).isEqualTo("JIT");
        assertThat(Proc.nativeKind("rocksdb:low")).isEqualTo("RocksDB");
        assertThat(Proc.nativeKind("VM Thread")).isEqualTo("VM");
        assertThat(Proc.nativeKind("main")).isNull();
    }

    @Test
    void loadAndMachineJiffiesAreRead() {
        assertThat(Proc.loadAverage()).hasSize(3).doesNotContain(Double.NaN);
        assertThat(Proc.loadString()).matches("\\d+\\.\\d\\d \\d+\\.\\d\\d \\d+\\.\\d\\d");
        long[] jiffies = Proc.machineJiffies();
        assertThat(jiffies[0]).isPositive();
        assertThat(jiffies[1]).isPositive();
    }
}
