package dev.mlsuite.inference.generation;

/** Side of the batch tensor that receives padding when sequences of different lengths share it. */
public enum PaddingSide {
    /** Padding before the tokens, so every sequence's last token is in the last column. */
    LEFT,
    /** Padding after the tokens. */
    RIGHT
}
