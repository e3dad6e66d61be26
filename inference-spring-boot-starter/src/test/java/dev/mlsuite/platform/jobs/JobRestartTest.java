package dev.mlsuite.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the job support in real service instances over HTTP, stopping and restarting them. */
class JobRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path artifacts;

    private ConfigurableApplicationContext service;

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void jobInterruptedByRestartCompletesAfterRestart() throws Exception {
        service = startService();
        String location = submit("{\"message\":\"hello\"}");
        awaitJob(location, job -> "RUNNING".equals(job.path("status").asString()));

        service.close();
        service = startService();
        JsonNode finished = awaitJob(rebase(location), job -> job.path("status").asString().equals("SUCCEEDED"));

        assertThat(finished.path("attempts").asInt()).isEqualTo(2);
        assertThat(finished.path("progress").asDouble()).isEqualTo(1.0);
        HttpResponse<String> result = HTTP.send(HttpRequest.newBuilder(URI.create(finished.path("result").asString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("{\"message\":\"hello\"}");
    }

    @Test
    void cancelStopsRunningJob() throws Exception {
        service = startService();
        String location = submit("{\"blockEveryAttempt\":true}");
        awaitJob(location, job -> "RUNNING".equals(job.path("status").asString()));

        HttpResponse<String> cancelled = HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("status").asString()).isEqualTo("CANCELLED");
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("/problems/job-already-finished");
    }

    @Test
    void cancelDeletesJobFiles() throws Exception {
        service = startService();
        String location = submit("{\"blockEveryAttempt\":true}");
        awaitJob(location, job -> "RUNNING".equals(job.path("status").asString()));
        Path jobDirectory = artifacts.resolve(idOf(location));
        assertThat(jobDirectory.resolve("input").resolve("input.txt")).exists();

        HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(jobDirectory).doesNotExist();
        // The handler stops at its next progress report; nothing it writes after the cancellation stays.
        Thread.sleep(1000);
        assertThat(jobDirectory).doesNotExist();
    }

    @Test
    void failedJobKeepsPartialResultsOnly() throws Exception {
        service = startService();
        String location = submit("{\"fail\":true}");

        JsonNode failed = awaitJob(location, job -> "FAILED".equals(job.path("status").asString()));

        assertThat(failed.path("error").asString()).contains("failing as the test requested");
        Path jobDirectory = artifacts.resolve(idOf(location));
        assertThat(jobDirectory.resolve("input")).doesNotExist();
        assertThat(jobDirectory.resolve("work").resolve("partial.txt")).exists();
    }

    @Test
    void unknownJobIsProblemDetail() throws Exception {
        service = startService();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(baseUrl() + "/v1/jobs/00000000-0000-0000-0000-000000000000")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/problems/job-not-found");
        HttpResponse<String> malformed = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/jobs/not-a-uuid"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    @Test
    void cleanupDeletesJobsPastRetention() throws Exception {
        service = startService();
        service.getBean(JobScheduler.class).cleanUp();
        String location = submit("{\"blockEveryAttempt\":true}");
        awaitJob(location, job -> "RUNNING".equals(job.path("status").asString()));
        HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        JobProperties expireAtOnce = new JobProperties(true, artifacts, 1024, 1024 * 1024, Duration.ZERO, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 4, Duration.ofSeconds(1), Duration.ofHours(1));
        JobScheduler cleaner = new JobScheduler(service.getBean(javax.sql.DataSource.class),
                service.getBean(JobRunner.class), expireAtOnce, service.getBean(JobRepository.class),
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(1)));
        int deleted = cleaner.cleanUp();

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        HttpResponse<String> gone = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(artifacts.resolve(location.substring(location.lastIndexOf('/') + 1))).doesNotExist();
    }

    private ConfigurableApplicationContext startService() {
        return new SpringApplicationBuilder(JobsTestApplication.class).properties(
                "server.port=0",
                "spring.application.name=jobs-test",
                "suite.service.schema=jobs_test",
                "suite.jobs.artifact-directory=" + artifacts,
                "suite.jobs.shutdown-max-wait=1s",
                "suite.jobs.heartbeat-interval=1s",
                "suite.jobs.missed-heartbeats-limit=4",
                "suite.jobs.polling-interval=200ms").run();
    }

    private String baseUrl() {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        return "http://127.0.0.1:" + port;
    }

    private static String idOf(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Points a job URL of a stopped instance at the running one (the port changes on restart). */
    private String rebase(String location) {
        return baseUrl() + URI.create(location).getPath();
    }

    private String submit(String parameters) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/test-jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(parameters)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("QUEUED");
        return response.headers().firstValue("Location").orElseThrow();
    }

    private JsonNode awaitJob(String location, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofString());
            job = JSON.readTree(response.body());
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Job at " + location + " did not reach the expected state; last seen: " + job);
    }
}
