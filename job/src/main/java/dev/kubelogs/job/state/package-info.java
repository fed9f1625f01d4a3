/** How the keyed state backends run: RocksDB's options, named by {@code flink-conf/config.yaml}. */
package dev.kubelogs.job.state;
