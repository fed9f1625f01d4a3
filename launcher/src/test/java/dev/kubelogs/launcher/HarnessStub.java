package dev.kubelogs.launcher;

/**
 * A stand-in for the harness's main class in {@link BenchCommandTest}: exits with the code in its first argument
 * when the launcher passed the repository root (its second argument) and the JVM options it was given
 * ({@code -Dstub.flag=on}); 99 otherwise.
 */
public final class HarnessStub {
    private HarnessStub() {}

    public static void main(String[] args) {
        boolean asLaunched = args[1].equals(System.getProperty("kubelogs.repo.root"))
                && "on".equals(System.getProperty("stub.flag"));
        System.exit(asLaunched ? Integer.parseInt(args[0]) : 99);
    }
}
