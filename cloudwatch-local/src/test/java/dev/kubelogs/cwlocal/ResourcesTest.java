package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroupClass;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** Log groups, log streams, retention, names and the protocol's error shapes, through the SDK v2 client. */
class ResourcesTest extends EndpointTestBase {

    @Test
    void createsAndDescribesLogGroupsWithServiceFields() {
        logs.createLogGroup(b -> b.logGroupName("/aws/containerinsights/demo/application"));
        logs.createLogGroup(b -> b.logGroupName("other").logGroupClass(LogGroupClass.INFREQUENT_ACCESS));
        logs.putRetentionPolicy(b -> b.logGroupName("other").retentionInDays(7));

        List<LogGroup> groups = logs.describeLogGroups().logGroups();
        assertThat(groups)
                .extracting(LogGroup::logGroupName)
                .containsExactly("/aws/containerinsights/demo/application", "other");
        LogGroup app = groups.get(0);
        assertThat(app.creationTime()).isEqualTo(NOW_MS);
        assertThat(app.retentionInDays()).isNull();
        assertThat(app.logGroupClass()).isEqualTo(LogGroupClass.STANDARD);
        assertThat(app.arn())
                .isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/containerinsights/demo/application:*");
        assertThat(app.logGroupArn())
                .isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/containerinsights/demo/application");
        assertThat(app.storedBytes()).isZero();
        assertThat(groups.get(1).retentionInDays()).isEqualTo(7);
        assertThat(groups.get(1).logGroupClass()).isEqualTo(LogGroupClass.INFREQUENT_ACCESS);
    }

    @Test
    void arnsCarryTheRegionTheClientSignedFor() {
        try (CloudWatchLogsClient eu = CloudWatchLogsClient.builder()
                .endpointOverride(cw.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"))
                .build()) {
            eu.createLogGroup(b -> b.logGroupName("g"));
            assertThat(eu.describeLogGroups().logGroups().get(0).logGroupArn())
                    .isEqualTo("arn:aws:logs:eu-west-1:000000000000:log-group:g");
        }
    }

    @Test
    void describeLogGroupsFiltersAndPages() {
        for (int i = 0; i < 55; i++) {
            String name = String.format("app/%03d", i);
            logs.createLogGroup(b -> b.logGroupName(name));
        }
        logs.createLogGroup(b -> b.logGroupName("zzz"));
        logs.createLogGroup(b -> b.logGroupName("APP-upper"));

        // the SDK paginator follows nextToken until it is absent
        List<String> all = new ArrayList<>();
        logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix("app/").limit(20))
                .forEach(page -> {
                    assertThat(page.logGroups().size()).isLessThanOrEqualTo(20);
                    page.logGroups().forEach(g -> all.add(g.logGroupName()));
                });
        assertThat(all).hasSize(55).doesNotHaveDuplicates().isSorted().allMatch(n -> n.startsWith("app/"));

        var first = logs.describeLogGroups(); // default limit 50
        assertThat(first.logGroups()).hasSize(50);
        assertThat(first.nextToken()).isNotNull();
        assertThat(logs.describeLogGroups(b -> b.nextToken(first.nextToken())).logGroups())
                .hasSize(7);
        var last = logs.describeLogGroups(b -> b.logGroupNamePrefix("zzz"));
        assertThat(last.logGroups()).extracting(LogGroup::logGroupName).containsExactly("zzz");
        assertThat(last.nextToken()).isNull();

        // logGroupIdentifiers: names or ARNs
        assertThat(logs.describeLogGroups(b -> b.logGroupIdentifiers(
                                "zzz", "arn:aws:logs:us-east-1:000000000000:log-group:app/007", "missing"))
                        .logGroups())
                .extracting(LogGroup::logGroupName)
                .containsExactly("app/007", "zzz");
        assertThatThrownBy(() ->
                        logs.describeLogGroups(b -> b.logGroupIdentifiers("zzz").logGroupNamePrefix("a")))
                .isInstanceOf(InvalidParameterException.class);

        // logGroupNamePattern: case-insensitive substring
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePattern("app-")).logGroups())
                .extracting(LogGroup::logGroupName)
                .containsExactly("APP-upper");

        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.limit(51)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("less than or equal to 50");
        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.limit(0))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() ->
                        logs.describeLogGroups(b -> b.logGroupNamePrefix("a").logGroupNamePattern("b")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("mutually exclusive");
        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.nextToken("garbage!")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("nextToken");
    }

    @Test
    void duplicatesAreResourceAlreadyExists() {
        createGroupAndStream("g", "s");
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("g")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .satisfies(e ->
                        assertThat(((CloudWatchLogsException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("g").logStreamName("s")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }

    @Test
    void missingResourcesAreResourceNotFoundWithTheServiceMessages() {
        assertThatThrownBy(
                        () -> logs.createLogStream(b -> b.logGroupName("nope").logStreamName("s")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log group does not exist.");
        logs.createLogGroup(b -> b.logGroupName("g"));
        assertThatThrownBy(() -> put("g", "nope", ev(NOW_MS, "x")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log stream does not exist.");
        assertThatThrownBy(() -> put("nope", "s", ev(NOW_MS, "x")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log group does not exist.");
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName("g").logStreamName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() ->
                        logs.putRetentionPolicy(b -> b.logGroupName("nope").retentionInDays(1)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.deleteLogStream(b -> b.logGroupName("g").logStreamName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.deleteLogGroup(b -> b.logGroupName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void namesAreValidatedAgainstTheModelConstraints() {
        String g512 = "g".repeat(512);
        logs.createLogGroup(b -> b.logGroupName(g512));
        logs.createLogGroup(b -> b.logGroupName("a.b-c_d/e#F9"));
        for (String bad : List.of("", "g".repeat(513), "has space", "colon:", "star*", "ünï")) {
            assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName(bad)))
                    .as("group name '%s'", bad)
                    .isInstanceOf(InvalidParameterException.class);
        }
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("aws/reserved")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("has space")))
                .hasMessageContaining("regular expression pattern");

        // streams: anything but ':' and '*', 1..512 characters
        logs.createLogStream(b -> b.logGroupName(g512).logStreamName("s".repeat(512)));
        logs.createLogStream(b -> b.logGroupName(g512).logStreamName("pod_ns_container-0123 ünï/\"x\" #1"));
        for (String bad : List.of("", "s".repeat(513), "a:b", "a*b")) {
            assertThatThrownBy(
                            () -> logs.createLogStream(b -> b.logGroupName(g512).logStreamName(bad)))
                    .as("stream name '%s'", bad)
                    .isInstanceOf(InvalidParameterException.class);
        }
        assertThat(cw.logStreams(g512)).hasSize(2);
    }

    @Test
    void describeLogStreamsOrdersPagesAndReportsEventTimes() {
        createGroupAndStream("g", "b");
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("a"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("c"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("other"));
        put("g", "a", ev(NOW_MS - 3000, "a1"), ev(NOW_MS - 1000, "a2"));
        clock.advance(java.time.Duration.ofSeconds(5));
        put("g", "b", ev(NOW_MS - 2000, "b1"));
        put("g", "c", ev(NOW_MS - 500, "c1"));

        DescribeLogStreamsResponse byName = logs.describeLogStreams(b -> b.logGroupName("g"));
        assertThat(byName.logStreams()).extracting(LogStream::logStreamName).containsExactly("a", "b", "c", "other");
        LogStream a = byName.logStreams().get(0);
        assertThat(a.firstEventTimestamp()).isEqualTo(NOW_MS - 3000);
        assertThat(a.lastEventTimestamp()).isEqualTo(NOW_MS - 1000);
        assertThat(a.lastIngestionTime()).isEqualTo(NOW_MS);
        assertThat(a.creationTime()).isEqualTo(NOW_MS);
        assertThat(a.storedBytes()).isZero();
        assertThat(a.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:a");
        assertThat(byName.logStreams().get(1).lastIngestionTime()).isEqualTo(NOW_MS + 5000);
        LogStream empty = byName.logStreams().get(3);
        assertThat(empty.firstEventTimestamp()).isNull();
        assertThat(empty.lastEventTimestamp()).isNull();
        assertThat(empty.lastIngestionTime()).isNull();

        assertThat(logs.describeLogStreams(b -> b.logGroupName("g").descending(true))
                        .logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("other", "c", "b", "a");
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g").logStreamNamePrefix("o"))
                        .logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("other");
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g").orderBy(OrderBy.LAST_EVENT_TIME))
                        .logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("other", "b", "a", "c");
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g")
                                .orderBy(OrderBy.LAST_EVENT_TIME)
                                .descending(true))
                        .logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("c", "a", "b", "other");

        // logGroupIdentifier: a name or an ARN without the trailing ":*" (the model's pattern excludes '*')
        assertThat(logs.describeLogStreams(b -> b.logGroupIdentifier("g")).logStreams())
                .hasSize(4);
        assertThat(logs.describeLogStreams(b -> b.logGroupIdentifier("arn:aws:logs:us-east-1:000000000000:log-group:g"))
                        .logStreams())
                .hasSize(4);
        assertThatThrownBy(() -> logs.describeLogStreams(
                        b -> b.logGroupIdentifier("arn:aws:logs:us-east-1:000000000000:log-group:g:*")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("regular expression");

        assertThatThrownBy(
                        () -> logs.describeLogStreams(b -> b.logGroupName("g").logGroupIdentifier("g")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logStreamNamePrefix("a")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.describeLogStreams(
                        b -> b.logGroupName("g").logStreamNamePrefix("a").orderBy(OrderBy.LAST_EVENT_TIME)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Cannot order by LastEventTime with a logStreamNamePrefix.");
        assertThatThrownBy(
                        () -> logs.describeLogStreams(b -> b.logGroupName("g").limit(51)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(
                        () -> logs.describeLogStreams(b -> b.logGroupName("g").limit(0)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void describeLogStreamsPagesInEveryOrder() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String name = String.format("s-%03d", i);
            expected.add(name);
            logs.createLogStream(b -> b.logGroupName("g").logStreamName(name));
            if (i % 3 == 0) {
                long t = NOW_MS - 10_000 + (i * 7919L % 1000);
                put("g", name, ev(t, "m"));
            }
        }
        for (OrderBy order : OrderBy.knownValues()) {
            for (boolean descending : new boolean[] {false, true}) {
                List<String> seen = new ArrayList<>();
                List<Long> times = new ArrayList<>();
                logs.describeLogStreamsPaginator(b -> b.logGroupName("g")
                                .orderBy(order)
                                .descending(descending)
                                .limit(4))
                        .forEach(page -> {
                            assertThat(page.logStreams().size()).isLessThanOrEqualTo(4);
                            page.logStreams().forEach(s -> {
                                seen.add(s.logStreamName());
                                times.add(s.lastEventTimestamp() == null ? -1 : s.lastEventTimestamp());
                            });
                        });
                assertThat(seen)
                        .as("%s descending=%s", order, descending)
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected);
                if (descending) {
                    Collections.reverse(seen);
                    Collections.reverse(times);
                }
                if (order == OrderBy.LOG_STREAM_NAME) {
                    assertThat(seen).isSorted();
                } else {
                    assertThat(times).isSorted();
                }
            }
        }
    }

    @Test
    void retentionPolicyAcceptsOnlyTheServiceValues() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        for (int days : new int[] {
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
        }) {
            logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(days));
            assertThat(cw.logGroups().get(0).retentionInDays()).isEqualTo(days);
        }
        for (int days : new int[] {0, 2, 4, 31, 3654, -1}) {
            assertThatThrownBy(() ->
                            logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(days)))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("enum value set");
        }
        logs.deleteRetentionPolicy(b -> b.logGroupName("g"));
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays())
                .isNull();
    }

    @Test
    void deletesStreamsAndGroups() {
        createGroupAndStream("g", "s");
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("t"));
        put("g", "s", ev(NOW_MS, "x"));
        logs.deleteLogStream(b -> b.logGroupName("g").logStreamName("s"));
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g")).logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("t");
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x"))).isInstanceOf(ResourceNotFoundException.class);
        // a re-created stream starts empty
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        assertThat(cw.events("g", "s")).isEmpty();

        logs.deleteLogGroup(b -> b.logGroupName("g"));
        assertThat(logs.describeLogGroups().logGroups()).isEmpty();
        assertThatThrownBy(() -> cw.logStreams("g")).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void canListenOnAllInterfaces() {
        try (LocalCloudWatchLogs any =
                        LocalCloudWatchLogs.builder().bindAddress("0.0.0.0").start();
                CloudWatchLogsClient client = client(any.endpoint(), c -> {})) {
            assertThat(any.endpoint().getHost()).isEqualTo("127.0.0.1");
            client.createLogGroup(b -> b.logGroupName("reachable"));
            assertThat(any.logGroups()).extracting(LogGroupInfo::name).containsExactly("reachable");
        }
    }

    @Test
    void unimplementedOperationsAreUnknownOperationException() {
        assertThatThrownBy(() -> logs.describeDestinations())
                .isInstanceOf(CloudWatchLogsException.class)
                .satisfies(e -> {
                    CloudWatchLogsException c = (CloudWatchLogsException) e;
                    assertThat(c.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(c.statusCode()).isEqualTo(400);
                });
        assertThat(cw.faults().calls("UnknownOperation")).isEqualTo(1);
    }

    @Test
    void speaksAwsJson11OnTheWire() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI root = cw.endpoint().resolve("/");

        HttpResponse<String> ok = http.send(
                HttpRequest.newBuilder(root)
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Logs_20140328.CreateLogGroup")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"logGroupName\":\"wire\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{}");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(ok.headers().firstValue("x-amzn-RequestId")).isPresent();

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(root)
                        .header("X-Amz-Target", "Logs_20140328.PutLogEvents")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"logGroupName\":\"wire\",\"logStreamName\":\"s\","
                                + "\"logEvents\":[{\"timestamp\":1,\"message\":\"m\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body())
                .isEqualTo(
                        "{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log stream does not exist.\"}");
        assertThat(put.headers().firstValue("X-Amzn-ErrorType")).hasValue("ResourceNotFoundException");

        HttpResponse<String> unknown = http.send(
                HttpRequest.newBuilder(root)
                        .header("X-Amz-Target", "Logs_20140328.NoSuchThing")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"__type\":\"UnknownOperationException\"");

        HttpResponse<String> noTarget = http.send(
                HttpRequest.newBuilder(root)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(noTarget.body()).contains("UnknownOperationException");

        HttpResponse<String> malformed = http.send(
                HttpRequest.newBuilder(root)
                        .header("X-Amz-Target", "Logs_20140328.DescribeLogGroups")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"limit\":"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"__type\":\"SerializationException\"");

        HttpResponse<String> wrongType = http.send(
                HttpRequest.newBuilder(root)
                        .header("X-Amz-Target", "Logs_20140328.DescribeLogGroups")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"ten\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.body()).contains("SerializationException");
    }
}
