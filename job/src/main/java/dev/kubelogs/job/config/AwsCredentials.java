package dev.kubelogs.job.config;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** What the AWS SDK's default credential chain finds on this machine. */
public final class AwsCredentials {
    private AwsCredentials() {}

    /**
     * True when the default chain resolves credentials here; a client of a local endpoint (which checks no signature)
     * signs with a dummy key only when it does not.
     */
    public static boolean defaultChainResolves() {
        try (DefaultCredentialsProvider provider =
                DefaultCredentialsProvider.builder().build()) {
            provider.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
