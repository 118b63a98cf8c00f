package io.lifeboat.evacuation.recovery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's thread pools: named daemon threads, at most {@code threads} of them, none idle past a minute, and at
 * most {@code queued} tasks waiting for one; a task beyond is refused ({@code RejectedExecutionException}), never
 * queued without bound.
 */
public final class BoundedThreads {

    private BoundedThreads() {
    }

    public static ExecutorService of(String name, int threads, int queued) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        if (queued == 0) {
            return new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queued), named);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
