package dev.kubelogs.job.metrics.model;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A scrape's groups made from one scrape layout, in the layout's order: every scrape of the layout gives groups of the
 * same constant part (log stream, labels, type, sample names, upper bounds and key, the same instances), only their
 * times and values differ. The router therefore splits them by delta subtask once per layout and keeps, with the
 * layout, each part's indices and its {@link ConstantBlock} ({@link LayoutRoutes}).
 *
 * <p>Unmodifiable, as a batch's list is ({@link SeriesBatch}); the groups are not written either.
 */
public final class LayoutGroups extends AbstractList<SeriesGroup> implements RandomAccess {
    private final SeriesGroup[] groups;
    private final LayoutRoutes routes;

    /** @param groups a layout's groups for one scrape, not written after; @param routes the layout's */
    public LayoutGroups(SeriesGroup[] groups, LayoutRoutes routes) {
        this.groups = groups;
        this.routes = routes;
    }

    /** The layout's routes, the same for every scrape of it. */
    public LayoutRoutes routes() {
        return routes;
    }

    @Override
    public SeriesGroup get(int index) {
        return groups[index];
    }

    @Override
    public int size() {
        return groups.length;
    }
}
