package dev.mlsuite.platform.inference;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the test server on 127.0.0.1; returns every status instead of throwing on errors. */
final class HttpTestClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient client;

    HttpTestClient(int port) {
        this.client = RestClient.create("http://127.0.0.1:" + port);
    }

    ResponseEntity<String> get(String path) {
        return client.get().uri(path)
                .retrieve()
                .onStatus(status -> true, (request, response) -> {
                })
                .toEntity(String.class);
    }

    ResponseEntity<String> postJson(String path, Object body) {
        return client.post().uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .onStatus(status -> true, (request, response) -> {
                })
                .toEntity(String.class);
    }

    static JsonNode json(ResponseEntity<String> response) {
        return JSON.readTree(response.getBody());
    }
}
