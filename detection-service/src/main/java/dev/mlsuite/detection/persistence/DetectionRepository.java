package dev.mlsuite.detection.persistence;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Stored detections by id. */
public interface DetectionRepository extends JpaRepository<DetectionRecord, UUID> {
}
