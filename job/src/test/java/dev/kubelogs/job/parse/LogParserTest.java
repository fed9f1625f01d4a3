package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogParserTest {
    private static final long NOW = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    private static LogParser parser(String section) {
        return ParsersFile.parse("[PARSER]\n" + section).get(0);
    }

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void regexFieldsAreStringsInGroupOrderAndTheTimeKeyIsConsumed() {
        LogParser syslog = Parsers.defaults().get("syslog");
        LogParser.Parsed p = syslog.parse("May 14 09:12:03 ip-10-0-0-1 sshd[4121]: Accepted publickey\n", NOW);
        // Onigmo's $ matches before the final newline, as Java's does with MULTILINE
        assertThat(p.fields().toString())
                .isEqualTo("{\"host\":\"ip-10-0-0-1\",\"ident\":\"sshd\",\"pid\":\"4121\","
                        + "\"message\":\"Accepted publickey\"}");
        assertThat(p.timeNanos()).isEqualTo(nanos("2024-05-14T09:12:03Z"));
    }

    @Test
    void emptyGroupsAreLeftOutUnlessSkipEmptyValuesIsOff() {
        String section = "Name kv\nFormat regex\nRegex ^(?<level>[A-Z]*):(?<msg>.*)$\n";
        assertThat(parser(section).parse(":hello", NOW).fields().toString()).isEqualTo("{\"msg\":\"hello\"}");
        assertThat(parser(section + "Skip_Empty_Values Off\n")
                        .parse(":hello", NOW)
                        .fields()
                        .toString())
                .isEqualTo("{\"level\":\"\",\"msg\":\"hello\"}");
    }

    /** A catastrophic user regex gives up within its step budget instead of stalling the node's keyed subtask. */
    @Test
    void aCatastrophicRegexGivesUpWithTheParsersName() {
        LogParser slow = parser("Name slow\nFormat regex\nRegex ^(?<x>(.*a){12})$\n");
        assertThat(slow.parse("a".repeat(12), NOW).fields().toString()).isEqualTo("{\"x\":\"aaaaaaaaaaaa\"}");
        assertThatThrownBy(() -> slow.parse("a".repeat(60) + "b", NOW))
                .isInstanceOf(ParserBudgetExceededException.class)
                .hasMessageContaining("parser 'slow'")
                .hasMessageContaining("gave up on a log of 61 characters");
    }

    @Test
    void aNonMatchIsNull() {
        assertThat(Parsers.defaults().get("syslog").parse("not syslog", NOW)).isNull();
    }

    @Test
    void timeKeepKeepsTheFieldInItsPlaceAndAnUnreadTimeIsDroppedEitherWay() {
        String section =
                "Name t\nFormat regex\nRegex ^(?<ts>\\S+) (?<msg>.*)$\nTime_Key ts\nTime_Format %Y-%m-%dT%H:%M:%S\n";
        LogParser.Parsed kept = parser(section + "Time_Keep On\n").parse("2024-05-14T09:12:03 up", NOW);
        assertThat(kept.fields().toString()).isEqualTo("{\"ts\":\"2024-05-14T09:12:03\",\"msg\":\"up\"}");
        assertThat(kept.timeNanos()).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        // flb_parser_regex.c cb_results: "invalid time format", the field is skipped and no time is set
        LogParser.Parsed unread = parser(section + "Time_Keep On\n").parse("yesterday up", NOW);
        assertThat(unread.fields().toString()).isEqualTo("{\"msg\":\"up\"}");
        assertThat(unread.timeNanos()).isZero();
        // without Time_Format the time key is an ordinary field
        LogParser.Parsed plain = parser("Name t\nFormat regex\nRegex ^(?<time>\\S+) (?<msg>.*)$\n")
                .parse("2024-05-14T09:12:03 up", NOW);
        assertThat(plain.fields().toString()).isEqualTo("{\"time\":\"2024-05-14T09:12:03\",\"msg\":\"up\"}");
        assertThat(plain.timeNanos()).isZero();
    }

    @Test
    void typesCastAsFlbParserTypecastDoes() {
        LogParser typed = parser("Name typed\nFormat regex\n"
                + "Regex ^(?<code>\\S+) (?<bytes>\\S+) (?<ratio>\\S+) (?<flags>\\S+) (?<ok>\\S+) (?<who>\\S+)$\n"
                + "Types code:integer bytes:integer ratio:float flags:hex ok:bool who:string\n");
        assertThat(typed.parse("200 12kb 0.5 ff TRUE alice", NOW).fields().toString())
                .isEqualTo("{\"code\":200,\"bytes\":12,\"ratio\":0.5,\"flags\":255,\"ok\":true,\"who\":\"alice\"}");
        // atof of no number is 0.0; a bool that is neither stays a string ("cast error. save as string.")
        assertThat(typed.parse("x -3 abc 0x10 maybe bob", NOW).fields().toString())
                .isEqualTo("{\"code\":0,\"bytes\":-3,\"ratio\":0.0,\"flags\":16,\"ok\":\"maybe\",\"who\":\"bob\"}");
    }

    @Test
    void cNumberReadersMatchLibc() {
        assertThat(LogParser.atoll("  +42abc")).isEqualTo(42);
        assertThat(LogParser.atoll("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
        assertThat(LogParser.atof("1e3ms")).isEqualTo(1000.0);
        assertThat(LogParser.atof(".5")).isEqualTo(0.5);
        assertThat(LogParser.strtoull16("0xffffffffffffffff")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(LogParser.strtoull16("-1")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(LogParser.strtoull16("zz")).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void theJsonParserKeepsTypesAndConsumesAReadTimeOnly() {
        LogParser json = parser(
                "Name json\nFormat json\nTime_Key ts\nTime_Format %Y-%m-%dT%H:%M:%S.%L%z\n" + "Types n:string\n");
        LogParser.Parsed p = json.parse("{\"ts\":\"2024-05-14T09:12:03.250+00:00\",\"n\":1,\"msg\":\"up\\n\"}", NOW);
        // Types does not apply to json; the read time key goes (Time_Keep off)
        assertThat(p.fields().toString()).isEqualTo("{\"n\":1,\"msg\":\"up\\n\"}");
        assertThat(p.timeNanos()).isEqualTo(nanos("2024-05-14T09:12:03.250Z"));
        // v4.1.1 keeps a time key it could not read (fluent/fluent-bit#7323)
        LogParser.Parsed unread = json.parse("{\"ts\":\"soon\",\"msg\":\"up\"}", NOW);
        assertThat(unread.fields().toString()).isEqualTo("{\"ts\":\"soon\",\"msg\":\"up\"}");
        assertThat(unread.timeNanos()).isZero();
        // a number is no string time
        assertThat(json.parse("{\"ts\":1715677923}", NOW).timeNanos()).isZero();
    }

    @Test
    void theJsonParserWantsExactlyOneObject() {
        LogParser json = parser("Name json\nFormat json\n");
        assertThat(json.parse("[1,2]", NOW)).isNull();
        assertThat(json.parse("{\"a\":1} {\"b\":2}", NOW)).isNull();
        assertThat(json.parse("plain text", NOW)).isNull();
        assertThat(json.parse("  {\"a\":1}\n", NOW).fields().toString()).isEqualTo("{\"a\":1}");
        assertThat(json.parse("{}", NOW).fields().isEmpty()).isTrue();
    }
}
