/**
 * Runtime-agnostic contracts between model implementations and their callers: models, batch
 * predictors, model factories, and native-memory scopes. Nothing here depends on Spring.
 */
package dev.mlsuite.inference.api;
