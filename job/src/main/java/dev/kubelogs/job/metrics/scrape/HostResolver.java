package dev.kubelogs.job.metrics.scrape;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up to all its addresses, in the system resolver's order; tests give their own. */
@FunctionalInterface
interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
