package dev.kubelogs.cwlocal;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code endpoint}: runs the local CloudWatch Logs endpoint until Ctrl-C (or until the thread running it is
 * interrupted). Registered by the launcher as {@code ./pipeline endpoint}; {@link Main} runs it alone.
 */
@Command(
        name = "endpoint",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a local CloudWatch-Logs-compatible endpoint (awsJson1.1, Logs_20140328) until Ctrl-C.",
            "Point an AWS SDK or the AWS CLI at it with an endpoint override, any region and any credentials.",
            "Admin API: GET|POST|DELETE /_faults, GET|DELETE /_stats, GET /_health."
        })
public class EndpointCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "4566",
            description = "TCP port (0 = ephemeral). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./.pipeline/cloudwatch",
            description = "Directory the log groups, streams and events are persisted to. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Spec
    CommandSpec spec;

    public EndpointCommand() {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalCloudWatchLogs started;
        try {
            started = LocalCloudWatchLogs.builder()
                    .port(port)
                    .dataDir(data)
                    .bindAddress(bind)
                    .start();
        } catch (UncheckedIOException | IllegalStateException e) { // port taken, data directory unreadable or in use
            PrintWriter err = spec.commandLine().getErr();
            err.println("endpoint: " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
            err.flush();
            return 1;
        }
        try (LocalCloudWatchLogs endpoint = started) {
            Thread hook = new Thread(
                    () -> {
                        endpoint.close();
                        out.println("CloudWatch Logs endpoint stopped.");
                        out.flush();
                        stopped.countDown();
                    },
                    "cwlocal-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("CloudWatch Logs endpoint listening on " + endpoint.endpoint()
                    + (bind.equals("127.0.0.1") ? "" : " (bound to " + bind + ")"));
            out.println("Data stored in " + endpoint.dataDir().orElseThrow() + " ("
                    + endpoint.logGroups().size() + " log groups, " + endpoint.eventCount() + " events loaded)");
            out.println(
                    "Try: aws --endpoint-url " + endpoint.endpoint() + " --region us-east-1 logs describe-log-groups");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            try {
                stopped.await(); // the shutdown hook (Ctrl-C) closes the endpoint and says so
            } catch (InterruptedException e) { // run in-process (tests, launcher): stop when interrupted
                Runtime.getRuntime().removeShutdownHook(hook);
                endpoint.close();
                out.println("CloudWatch Logs endpoint stopped.");
                out.flush();
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }
}
