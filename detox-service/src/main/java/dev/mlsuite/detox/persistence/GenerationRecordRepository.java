package dev.mlsuite.detox.persistence;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Stored generations by id. */
public interface GenerationRecordRepository extends JpaRepository<GenerationRecord, UUID> {
}
