package dev.mlsuite.vision.tokens.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.mlsuite.vision.tokens.GaussianSplatRenderer;
import dev.mlsuite.vision.tokens.GaussianTokenizer;
import dev.mlsuite.vision.tokens.RgbImage;
import dev.mlsuite.vision.tokens.TokenInitialisation;
import dev.mlsuite.vision.tokens.TokenOverlay;
import dev.mlsuite.vision.tokens.TokenRefiner;
import dev.mlsuite.vision.tokens.Tokenization;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures adaptive (entropy-partition) tokens against a uniform grid of the same count, with
 * the same renderer and refinement, and prints a Markdown table of PSNR, SSIM and time.
 *
 * <p>Usage: {@code GaussianTokenEvaluation DATA_FOLDER [--receipts K] [--counts 64,128,256]
 * [--steps S] [--max-side PIXELS] [--frames-per-video F] [--frames FOLDER] [--examples FOLDER]}.
 * Images are text
 * crops of the first {@code K} SROIE receipts under {@code DATA_FOLDER/documents/sroie},
 * {@code F} evenly spaced frames of each {@code DATA_FOLDER/videos/*.mp4}, and every PNG or JPEG
 * in the optional frames folder, each downscaled so that its longer side is at most
 * {@code --max-side} pixels. With {@code --examples}, the first image and, for each method, its
 * reconstruction and token overlay at the largest count are written there as PNG files.
 */
public final class GaussianTokenEvaluation {

    private static final Logger log = LoggerFactory.getLogger(GaussianTokenEvaluation.class);

    private GaussianTokenEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        Map<String, RgbImage> images = loadImages(options);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("No images found under " + options.dataFolder()
                    + "; expected documents/sroie/img, videos/*.mp4 or a --frames folder");
        }
        String firstImage = images.keySet().iterator().next();
        int largestCount = Arrays.stream(options.counts()).max().orElseThrow();

        List<String> rows = new ArrayList<>();
        rows.add("| image | size | N | method | PSNR init (dB) | PSNR (dB) | SSIM init | SSIM | steps | time (ms) |");
        rows.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Map<String, double[]> sums = new LinkedHashMap<>();
        try (GaussianTokenizer tokenizer = GaussianTokenizer.onCpu(GaussianSplatRenderer.DEFAULT_SUPPORT_SIGMAS,
                TokenRefiner.LearningRates.DEFAULT)) {
            for (Map.Entry<String, RgbImage> entry : images.entrySet()) {
                RgbImage image = entry.getValue();
                for (int count : options.counts()) {
                    for (TokenInitialisation initialisation : TokenInitialisation.values()) {
                        Tokenization result = tokenizer.tokenize(image, count, initialisation, options.steps(),
                                Duration.ofMinutes(10));
                        if (options.examplesFolder() != null && entry.getKey().equals(firstImage)
                                && count == largestCount) {
                            writeExample(options.examplesFolder(), entry.getKey(), count, initialisation, image, result);
                        }
                        rows.add(String.format(Locale.ROOT, "| %s | %dx%d | %d | %s | %.2f | %.2f | %.4f | %.4f | %d | %d |",
                                entry.getKey(), image.width(), image.height(), count,
                                initialisation.name().toLowerCase(Locale.ROOT), result.initialPsnr(), result.psnr(),
                                result.initialSsim(), result.ssim(), result.refinement().stepsRun(),
                                result.timings().totalMillis()));
                        log.info("{} N={} {}: PSNR {} dB, SSIM {}, {} ms", entry.getKey(), count, initialisation,
                                String.format(Locale.ROOT, "%.2f", result.psnr()),
                                String.format(Locale.ROOT, "%.4f", result.ssim()), result.timings().totalMillis());
                        double[] sum = sums.computeIfAbsent(count + " " + initialisation.name(), key -> new double[6]);
                        sum[0] += result.initialPsnr();
                        sum[1] += result.psnr();
                        sum[2] += result.initialSsim();
                        sum[3] += result.ssim();
                        sum[4] += result.timings().totalMillis();
                        sum[5]++;
                    }
                }
            }
        }

        rows.add("");
        rows.add("| N | method | mean PSNR init (dB) | mean PSNR (dB) | mean SSIM init | mean SSIM | mean time (ms) |");
        rows.add("| --- | --- | --- | --- | --- | --- | --- |");
        for (Map.Entry<String, double[]> entry : sums.entrySet()) {
            String[] key = entry.getKey().split(" ");
            double[] sum = entry.getValue();
            rows.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.4f | %.4f | %.0f |", key[0],
                    key[1].toLowerCase(Locale.ROOT), sum[0] / sum[5], sum[1] / sum[5], sum[2] / sum[5],
                    sum[3] / sum[5], sum[4] / sum[5]));
        }
        // The table is the program's output, so it goes to standard output rather than the log.
        System.out.println(String.join(System.lineSeparator(), rows));
    }

    private static void writeExample(Path folder, String imageName, int count, TokenInitialisation initialisation,
            RgbImage image, Tokenization result) throws IOException {
        Files.createDirectories(folder);
        String prefix = imageName.replaceAll("[^A-Za-z0-9]+", "-") + "-n" + count;
        String method = initialisation.name().toLowerCase(Locale.ROOT);
        ImageIO.write(image.toBufferedImage(), "png", folder.resolve(prefix + "-original.png").toFile());
        ImageIO.write(result.reconstruction().toBufferedImage(), "png",
                folder.resolve(prefix + "-" + method + ".png").toFile());
        ImageIO.write(TokenOverlay.draw(image, result.tokens()), "png",
                folder.resolve(prefix + "-" + method + "-overlay.png").toFile());
        log.info("Wrote example images {}-*.png to {}", prefix, folder);
    }

    private static Map<String, RgbImage> loadImages(Options options) throws IOException {
        Map<String, RgbImage> images = new LinkedHashMap<>();
        Path sroie = options.dataFolder().resolve("documents").resolve("sroie");
        List<String> receiptIds;
        try (Stream<Path> files = Files.list(sroie.resolve("img"))) {
            receiptIds = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".jpg"))
                    .map(name -> name.substring(0, name.length() - ".jpg".length()))
                    .sorted()
                    .limit(options.receipts())
                    .toList();
        }
        for (String id : receiptIds) {
            images.put("sroie/" + id, ReceiptCrops.textCrop(sroie, id).fitWithin(options.maxSide()));
        }

        Path videos = options.dataFolder().resolve("videos");
        if (options.framesPerVideo() > 0 && Files.isDirectory(videos)) {
            List<Path> videoFiles;
            try (Stream<Path> files = Files.list(videos)) {
                videoFiles = files.filter(path -> path.getFileName().toString().endsWith(".mp4")).sorted().toList();
            }
            for (Path video : videoFiles) {
                List<RgbImage> frames = VideoFrames.evenlySpaced(video, options.framesPerVideo());
                for (int i = 0; i < frames.size(); i++) {
                    images.put("video/" + video.getFileName() + "#" + (i + 1), frames.get(i).fitWithin(options.maxSide()));
                }
            }
        }

        if (options.framesFolder() != null) {
            try (Stream<Path> files = Files.list(options.framesFolder())) {
                for (Path frame : files.sorted().toList()) {
                    String name = frame.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) {
                        var decoded = ImageIO.read(frame.toFile());
                        if (decoded == null) {
                            throw new IOException("Not a readable image: " + frame);
                        }
                        images.put("frame/" + frame.getFileName(),
                                RgbImage.fromBufferedImage(decoded).fitWithin(options.maxSide()));
                    }
                }
            }
        }
        return images;
    }

    record Options(Path dataFolder, int receipts, int[] counts, int steps, int maxSide, int framesPerVideo,
            Path framesFolder, Path examplesFolder) {

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("Usage: GaussianTokenEvaluation DATA_FOLDER [--receipts K] "
                        + "[--counts 64,128,256] [--steps S] [--max-side PIXELS] [--frames-per-video F] [--frames FOLDER] [--examples FOLDER]");
            }
            Path dataFolder = Path.of(args[0]);
            int receipts = 4;
            int[] counts = {64, 128, 256};
            int steps = 100;
            int maxSide = 128;
            int framesPerVideo = 1;
            Path frames = null;
            Path examples = null;
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Missing value after " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--receipts" -> receipts = Integer.parseInt(value);
                    case "--counts" -> counts = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--steps" -> steps = Integer.parseInt(value);
                    case "--max-side" -> maxSide = Integer.parseInt(value);
                    case "--frames-per-video" -> framesPerVideo = Integer.parseInt(value);
                    case "--frames" -> frames = Path.of(value);
                    case "--examples" -> examples = Path.of(value);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            return new Options(dataFolder, receipts, counts, steps, maxSide, framesPerVideo, frames, examples);
        }
    }
}
