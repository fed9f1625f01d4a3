package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArnsTest {
    @Test
    void arnsNameThePartitionOfTheRegion() {
        assertThat(Arns.logGroup("us-west-2", "g")).isEqualTo("arn:aws:logs:us-west-2:000000000000:log-group:g");
        assertThat(Arns.logGroup("cn-north-1", "g")).startsWith("arn:aws-cn:logs:");
        assertThat(Arns.logGroup("us-gov-west-1", "g")).startsWith("arn:aws-us-gov:logs:");
        assertThat(Arns.logStream("eu-west-1", "/a/b", "s"))
                .isEqualTo("arn:aws:logs:eu-west-1:000000000000:log-group:/a/b:log-stream:s");
    }
}
