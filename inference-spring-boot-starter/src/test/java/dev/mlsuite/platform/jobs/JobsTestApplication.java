package dev.mlsuite.platform.jobs;

import java.nio.file.Files;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A minimal service with one job type, used to test the job support over real HTTP and PostgreSQL. */
@SpringBootApplication
public class JobsTestApplication {

    static final String TYPE = "echo-after-restart";

    /**
     * On its first attempt the job reports progress until the service stops under it; on later
     * attempts it copies its input to {@code result.txt}. Parameters {@code {"blockEveryAttempt":true}}
     * make every attempt block, for cancellation tests, and {@code {"fail":true}} make every
     * attempt write {@code partial.txt} and fail.
     */
    @Bean
    JobHandler echoAfterRestartHandler() {
        return new JobHandler() {
            @Override
            public String type() {
                return TYPE;
            }

            @Override
            public String run(JobContext context) throws Exception {
                if (context.parameters().contains("\"fail\":true")) {
                    Files.writeString(context.workDirectory().resolve("partial.txt"), "partial");
                    throw new IllegalStateException("failing as the test requested");
                }
                boolean blockEveryAttempt = context.parameters().contains("\"blockEveryAttempt\":true");
                if (context.attempt() == 1 || blockEveryAttempt) {
                    for (int step = 0; step < 600; step++) {
                        context.reportProgress(step / 1000.0);
                        Thread.sleep(100);
                    }
                    throw new IllegalStateException("the test expected this attempt to be interrupted");
                }
                byte[] input = Files.readAllBytes(context.inputDirectory().resolve("input.txt"));
                Files.write(context.workDirectory().resolve("result.txt"), input);
                return "result.txt";
            }
        };
    }

    @RestController
    static class SubmitController {

        private final JobService jobs;

        SubmitController(JobService jobs) {
            this.jobs = jobs;
        }

        @PostMapping(value = "/v1/test-uploads", consumes = "multipart/form-data")
        long upload(@org.springframework.web.bind.annotation.RequestPart("file")
                org.springframework.web.multipart.MultipartFile file) {
            return file.getSize();
        }

        @org.springframework.web.bind.annotation.GetMapping("/v1/test-counts")
        int count(@org.springframework.web.bind.annotation.RequestParam int count) {
            return count;
        }

        @PostMapping("/v1/test-jobs")
        ResponseEntity<JobView> submit(@RequestBody String parameters) {
            Job job = jobs.submit(TYPE, parameters, Map.of("input.txt", new ByteArrayResource(parameters.getBytes())));
            return JobController.accepted(job);
        }
    }
}
