package io.estafeta.broker.store.rocksdb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreKeysTest {

    @Property
    void aClientKeyIsAPrefixOnlyOfThatClientsKeys(@ForAll @StringLength(max = 8) String a,
                                                  @ForAll @StringLength(max = 8) String b) {
        byte[] keyOfA = StoreKeys.client(a);
        byte[] recordOfB = StoreKeys.delivery(b, 42);

        assertThat(StoreKeys.startsWith(recordOfB, keyOfA)).isEqualTo(a.equals(b));
    }

    @Property
    void everyKeyWithAPrefixSortsBeforeTheEndOfThatPrefix(@ForAll @StringLength(max = 8) String clientId,
                                                          @ForAll long deliveryId) {
        byte[] prefix = StoreKeys.client(clientId);
        byte[] end = StoreKeys.endOfPrefix(prefix);
        byte[] key = StoreKeys.delivery(clientId, deliveryId);

        assertThat(Arrays.compareUnsigned(prefix, key)).isNegative();
        assertThat(Arrays.compareUnsigned(key, end)).isNegative();
    }

    @Test
    void theEndOfAPrefixCarriesOverTrailingFfBytes() {
        assertThat(StoreKeys.endOfPrefix(new byte[]{1, (byte) 0xFF, (byte) 0xFF})).containsExactly(2);
        assertThatThrownBy(() -> StoreKeys.endOfPrefix(new byte[]{(byte) 0xFF}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliveryKeysOfAClientSortByDeliveryId() {
        assertThat(Arrays.compareUnsigned(StoreKeys.delivery("c", 255), StoreKeys.delivery("c", 256))).isNegative();
    }

    @Test
    void aClientIdLongerThanTheProtocolAllowsIsRefused() {
        assertThatThrownBy(() -> StoreKeys.client("x".repeat(StoreKeys.MAX_CLIENT_ID_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
