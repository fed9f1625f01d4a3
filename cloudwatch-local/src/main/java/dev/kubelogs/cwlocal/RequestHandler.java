package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The server's one handler. {@code POST /} with {@code X-Amz-Target: Logs_20140328.<Operation>} runs the
 * operation and answers in the awsJson1.1 envelope (errors as {@code __type} and {@code X-Amzn-ErrorType}), with
 * the armed {@link Faults} applied before and after it; paths starting with {@code /_} go to the {@link AdminApi}.
 */
final class RequestHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(LocalCloudWatchLogs.class.getName());
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    private record Response(int status, byte[] body, String errorType) {}

    private final ObjectMapper mapper;
    private final Operations operations;
    private final Faults faults;
    private final AdminApi admin;
    private final RequestBodyReader bodies;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    /** Request ids: unique per response without SecureRandom (UUID.randomUUID contends under load). */
    private final long requestIdHigh = UUID.randomUUID().getMostSignificantBits();

    private final AtomicLong requestIds = new AtomicLong();

    /**
     * @param workers runs delayed work (slow calls, delayed responses) when the timer fires
     * @param timer   schedules that work; it only hands it to the workers
     */
    RequestHandler(
            ObjectMapper mapper,
            Operations operations,
            Faults faults,
            AdminApi admin,
            RequestBodyReader bodies,
            Executor workers,
            ScheduledExecutorService timer) {
        this.mapper = mapper;
        this.operations = operations;
        this.faults = faults;
        this.admin = admin;
        this.bodies = bodies;
        this.workers = workers;
        this.timer = timer;
    }

    @Override
    public void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/_")) {
                admin.handle(ex, path);
                return;
            }
            if (!path.equals("/")) {
                send(ex, error(new ApiException("UnknownOperationException", 404, "No such resource " + path)));
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                send(
                        ex,
                        error(new ApiException(
                                "UnknownOperationException",
                                405,
                                "Only POST is supported by the awsJson1.1 protocol")));
                return;
            }
            byte[] body = bodies.read(ex);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String name = target != null && target.startsWith(Operations.TARGET_PREFIX)
                    ? target.substring(Operations.TARGET_PREFIX.length())
                    : null;
            Operations.Operation op = operations.get(name);
            if (op == null) {
                faults.countCall("UnknownOperation");
                send(ex, error(ApiException.unknownOperation(target)));
                return;
            }
            faults.countCall(name);
            Operations.Call call =
                    new Operations.Call(body, region(ex.getRequestHeaders().getFirst("Authorization")));
            long slow = faults.slowDelay(name);
            if (slow > 0) {
                timer.schedule(() -> runOnWorker(ex, () -> process(ex, name, op, call)), slow, TimeUnit.MILLISECONDS);
            } else {
                process(ex, name, op, call);
            }
        } catch (ApiException e) {
            send(ex, error(e));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "request aborted", e);
            ex.close();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "request failed", e);
            send(ex, error(ApiException.internal(String.valueOf(e))));
        }
    }

    private void process(HttpExchange ex, String name, Operations.Operation op, Operations.Call call) {
        Faults.Action before = faults.beforeProcessing(name);
        if (before != null) {
            switch (before.kind()) {
                case THROTTLE -> send(ex, error(ApiException.throttling()));
                case ERROR -> send(ex, error(new ApiException(before.errorType(), before.status(), before.message())));
                case HANG -> {} // never answered: the client's timeout (or stop()) closes the connection
                default -> send(ex, error(ApiException.serviceUnavailable(before.status())));
            }
            return;
        }
        Response response;
        try {
            response = new Response(200, op.apply(call), null);
        } catch (ApiException e) {
            response = error(e);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + " failed", e);
            response = error(ApiException.internal(name + " failed: " + e));
        }
        Faults.Action after = faults.afterProcessing(name);
        if (after == null) {
            send(ex, response);
        } else if (after.kind() == Faults.Kind.DROP_RESPONSE) {
            // no response headers were sent, so closing the exchange closes the connection
            ex.close();
        } else {
            Response delayed = response;
            timer.schedule(() -> runOnWorker(ex, () -> send(ex, delayed)), after.delayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnWorker(HttpExchange ex, Runnable task) {
        try {
            workers.execute(task);
        } catch (RuntimeException e) { // shutting down
            ex.close();
        }
    }

    /** The region of the SigV4 credential scope (Credential=AKID/date/region/service/aws4_request). */
    static String region(String authorization) {
        if (authorization == null) {
            return LocalCloudWatchLogs.DEFAULT_REGION;
        }
        int i = authorization.indexOf("Credential=");
        if (i < 0) {
            return LocalCloudWatchLogs.DEFAULT_REGION;
        }
        int end = authorization.indexOf(',', i);
        String[] scope = authorization
                .substring(i + "Credential=".length(), end < 0 ? authorization.length() : end)
                .trim()
                .split("/");
        return scope.length >= 5 && REGION.matcher(scope[2]).matches() ? scope[2] : LocalCloudWatchLogs.DEFAULT_REGION;
    }

    private Response error(ApiException e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("__type", e.type());
        n.put("message", e.getMessage());
        try {
            return new Response(e.status(), mapper.writeValueAsBytes(n), e.type());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    private void send(HttpExchange ex, Response r) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", JSON_11);
            ex.getResponseHeaders()
                    .set("x-amzn-RequestId", new UUID(requestIdHigh, requestIds.incrementAndGet()).toString());
            if (r.errorType() != null) {
                ex.getResponseHeaders().set("X-Amzn-ErrorType", r.errorType());
            }
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (IOException e) {
            // the client went away (e.g. it timed out before a delayed response)
            LOG.log(System.Logger.Level.DEBUG, "response not delivered", e);
        }
    }
}
