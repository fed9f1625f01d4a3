package dev.kubelogs.job.metrics.scrape;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up, as the system resolver does; tests give their own. */
@FunctionalInterface
interface HostResolver {
    HostResolver SYSTEM = InetAddress::getByName;

    InetAddress resolve(String host) throws UnknownHostException;
}
