package dev.mlsuite.detox.split;

import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.TokenListener;

/** Numbers a sequence's tokens from {@code firstIndex} and passes them to a {@link HandoverClient.Relay}. */
final class RelayListener implements TokenListener {

    private final HandoverClient.Relay relay;
    private int nextIndex;

    RelayListener(HandoverClient.Relay relay, int firstIndex) {
        this.relay = relay;
        this.nextIndex = firstIndex;
    }

    @Override
    public void onToken(int tokenId, String textDelta) {
        relay.token(nextIndex++, tokenId, textDelta);
    }

    @Override
    public void onFinish(FinishReason reason, String textDelta) {
        relay.finish(reason, textDelta);
    }
}
