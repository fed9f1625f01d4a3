package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskManagerFaultsTest {
    @Test
    void theFirstTaskManagerNotLostFromThePreferredOneOnWrapping() {
        assertThat(TaskManagerFaults.firstNotLost(1, 4, Set.of())).isEqualTo(1);
        assertThat(TaskManagerFaults.firstNotLost(1, 4, Set.of(1, 2))).isEqualTo(3);
        assertThat(TaskManagerFaults.firstNotLost(3, 4, Set.of(3))).isZero();
        assertThatThrownBy(() -> TaskManagerFaults.firstNotLost(0, 2, Set.of(0, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("every TaskManager was lost");
    }

    @Test
    void busyTaskManagersAreThoseWithASlotInUseNamedByTheirResourceId() throws Exception {
        // the shape of GET /taskmanagers: the cluster names TaskManager N (from 1) "taskmanager-N-<random>"
        JsonNode taskManagers = new ObjectMapper().readTree("""
                        [{"id": "taskmanager-1-5f2a", "slotsNumber": 2, "freeSlots": 0},
                         {"id": "taskmanager-2-9c1d", "slotsNumber": 2, "freeSlots": 2},
                         {"id": "taskmanager-4-77aa", "slotsNumber": 2, "freeSlots": 1},
                         {"id": "10.0.0.7:42311-ab12cd", "slotsNumber": 2, "freeSlots": 0}]
                        """);
        assertThat(TaskManagerFaults.busyIndexes(taskManagers)).containsExactlyInAnyOrder(0, 3);
    }
}
