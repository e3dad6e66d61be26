package dev.mlsuite.vision.tokens.api;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ImageTokenResultRepository extends JpaRepository<ImageTokenResult, UUID> {
}
