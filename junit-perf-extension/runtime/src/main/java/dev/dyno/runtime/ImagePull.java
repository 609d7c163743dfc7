package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Makes an image present on an engine as Testcontainers' default pull policy does (pull only what
 * is missing), in one attempt of bounded time, logging progress. Testcontainers itself retries a
 * failing pull for its whole {@code pull.timeout} (two minutes by default), which is how a machine
 * without a registry used to hang; here a pull that fails, stalls or overruns says why at once.
 */
final class ImagePull {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePull.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);
    private static final Pattern ENGINE_MESSAGE = Pattern.compile("Status \\d+: \\{\"message\":\"(.*)\"}\\s*",
            Pattern.DOTALL);

    private ImagePull() {
    }

    /** The name Testcontainers gives {@code image} (its image name substitution: {@code hub.image.name.prefix}, …). */
    static String substituted(String image) {
        return ImageNameSubstitutor.instance().apply(DockerImageName.parse(image)).asCanonicalNameString();
    }

    /** Testcontainers' {@code pull.timeout}: how long one pull may take. */
    static Duration limit() {
        return Duration.ofSeconds(TestcontainersConfiguration.getInstance().getImagePullTimeout());
    }

    /** Testcontainers' {@code pull.pause.timeout}: how long a pull may go without progress. */
    static Duration stallLimit() {
        return Duration.ofSeconds(TestcontainersConfiguration.getInstance().getImagePullPauseTimeout());
    }

    static boolean present(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Pulls {@code image} unless it is present.
     *
     * @return empty once the image is present, else why it could not be pulled
     */
    static Optional<String> ensurePresent(DockerClient client, String image, Duration stallLimit, Duration limit) {
        if (present(client, image)) {
            return Optional.empty();
        }
        return pull(client, image, stallLimit, limit);
    }

    /** @return empty once pulled, else why not */
    static Optional<String> pull(DockerClient client, String image, Duration stallLimit, Duration limit) {
        DockerImageName name = DockerImageName.parse(image);
        Progress progress = new Progress(image);
        long start = System.nanoTime();
        LOG.info("pulling image {}: it is not present on the Docker engine", image);
        try {
            client.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).exec(progress);
            while (!progress.awaitCompletion(200, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (now - progress.lastProgress > stallLimit.toNanos()) {
                    progress.close();
                    return Optional.of("no progress for " + stallLimit.toSeconds() + " s");
                }
                if (now - start > limit.toNanos()) {
                    progress.close();
                    return Optional.of("not done after " + limit.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (IOException | RuntimeException e) {
            return Optional.of(engineMessage(e));
        }
        if (progress.failure != null) {
            return Optional.of(engineMessage(progress.failure));
        }
        if (progress.streamError != null) {
            return Optional.of(progress.streamError);
        }
        if (!present(client, image)) {
            return Optional.of("the engine ended the pull without the image (last status: " + progress.lastStatus + ")");
        }
        LOG.info("pulled image {} in {} s", image, (System.nanoTime() - start) / 1_000_000_000);
        return Optional.empty();
    }

    /** What the engine said, without docker-java's status and JSON wrapping. */
    static String engineMessage(Throwable e) {
        String message = String.valueOf(e.getMessage());
        Matcher matcher = ENGINE_MESSAGE.matcher(message);
        return matcher.matches() ? matcher.group(1).replace("\\\"", "\"") : message.strip();
    }

    private static final class Progress extends ResultCallback.Adapter<PullResponseItem> {
        private final String image;
        private volatile long lastProgress = System.nanoTime();
        private volatile long lastLogged = System.nanoTime() - LOG_EVERY.toNanos();
        private volatile String lastStatus = "none";
        private volatile String streamError;
        private volatile Throwable failure;

        Progress(String image) {
            this.image = image;
        }

        @Override
        public void onNext(PullResponseItem item) {
            lastProgress = System.nanoTime();
            if (item.getErrorDetail() != null || item.getError() != null) {
                streamError = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                return;
            }
            String status = (item.getId() == null ? "" : item.getId() + ": ") + item.getStatus()
                    + (item.getProgress() == null ? "" : " " + item.getProgress());
            lastStatus = status;
            if (lastProgress - lastLogged >= LOG_EVERY.toNanos()) {
                lastLogged = lastProgress;
                LOG.info("pulling image {}: {}", image, status);
            }
        }

        // docker-java's own onError logs the failure as an error with its stack; the caller reports it instead
        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            try {
                close();
            } catch (IOException e) {
                // the stream is gone either way
            }
        }
    }
}
