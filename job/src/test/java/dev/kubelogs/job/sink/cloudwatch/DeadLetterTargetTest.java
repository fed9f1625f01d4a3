package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterTargetTest {

    @Test
    void aSiblingGroupSitsBesideEachRejectedEventsOwnGroup() {
        DeadLetterTarget target = DeadLetterTarget.siblingGroup("kubelogs-dead-letter");
        assertThat(target.groupFor("/aws/containerinsights/prod/application"))
                .isEqualTo("/aws/containerinsights/prod/kubelogs-dead-letter");
        assertThat(target.groupFor("/aws/containerinsights/staging/host"))
                .isEqualTo("/aws/containerinsights/staging/kubelogs-dead-letter");
        assertThat(target.groupFor("flat")).isEqualTo("kubelogs-dead-letter");
        assertThat(target.usesCloudWatch()).isTrue();
    }

    @Test
    void aFixedGroupIsTheSameForEveryEvent() {
        DeadLetterTarget target = DeadLetterTarget.logGroup("/dl");
        assertThat(target.groupFor("/aws/containerinsights/prod/application")).isEqualTo("/dl");
        assertThat(target.usesCloudWatch()).isTrue();
        assertThat(DeadLetterTarget.directory("/tmp/x").usesCloudWatch()).isFalse();
        assertThat(DeadLetterTarget.log().usesCloudWatch()).isFalse();
    }

    @Test
    void aSiblingNameIsOnePathSegmentCloudWatchAccepts() {
        assertThatThrownBy(() -> DeadLetterTarget.siblingGroup("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterTarget.siblingGroup("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterTarget.siblingGroup("bad name!"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterTarget.directory("/x").groupFor("/g"))
                .isInstanceOf(IllegalStateException.class);
    }
}
