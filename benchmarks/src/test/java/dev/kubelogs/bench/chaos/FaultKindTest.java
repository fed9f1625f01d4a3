package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultKindTest {

    @Test
    void parsesIdsAndAll() {
        assertThat(FaultKind.parse("tm-kill, collector-kill"))
                .containsExactly(FaultKind.TM_KILL, FaultKind.COLLECTOR_KILL);
        assertThat(FaultKind.parse("all")).containsExactly(FaultKind.values());
        assertThat(FaultKind.parse("spool-full,tm-lost")).containsExactly(FaultKind.SPOOL_FULL, FaultKind.TM_LOST);
    }

    @Test
    void anUnknownIdIsAnErrorNamingTheKnownOnes() {
        assertThatThrownBy(() -> FaultKind.parse("tm-kill,disk-full"))
                .hasMessageContaining("unknown fault 'disk-full'")
                .hasMessageContaining("savepoint-restore");
    }
}
