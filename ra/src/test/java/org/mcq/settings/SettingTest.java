package org.mcq.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting SIZE = new Setting("mcq.max.message.size", Rule.wholeNumber(1, 100));
    private static final Setting SYNC = new Setting("mcq.sync", Rule.flag());

    @Test
    void aValueSetInTheEnvironmentIsNamedByItsEnvironmentVariable() {
        Map<String, String> environment = Map.of("MCQ_MAX_MESSAGE_SIZE", "10k");
        assertEquals("MCQ_MAX_MESSAGE_SIZE=10k: must be a whole number from 1 to 100",
                SIZE.problem("10k", environment::get));
    }

    @Test
    void theOtherEnvironmentSpellingsAreNamedAsWritten() {
        assertEquals("mcq_max_message_size=0: must be a whole number from 1 to 100",
                SIZE.problem("0", Map.of("mcq_max_message_size", "0")::get));
        assertEquals("mcq.max.message.size=0: must be a whole number from 1 to 100",
                SIZE.problem("0", Map.of("mcq.max.message.size", "0")::get));
    }

    @Test
    void aValueFromServerXmlIsNamedByItsVariable() {
        // an environment variable holding another value is not where this one came from
        assertEquals("mcq.max.message.size=-1: must be a whole number from 1 to 100",
                SIZE.problem("-1", Map.of("MCQ_MAX_MESSAGE_SIZE", "5")::get));
    }

    @Test
    void wholeNumbersAreThoseMicroProfileConfigReads() {
        assertNull(SIZE.problem("1", name -> null));
        assertNull(SIZE.problem(" 100 ", name -> null));
        for (String wrong : new String[]{"0", "101", "1.5", "1e2", "", "ten", "99999999999999999999"}) {
            assertEquals("mcq.max.message.size=" + wrong + ": must be a whole number from 1 to 100",
                    SIZE.problem(wrong, name -> null), wrong);
        }
    }

    @Test
    void aFlagIsAYesOrANoNeverATypo() {
        for (String yesOrNo : new String[]{"true", "FALSE", "yes", "no", "on", "off", "1", "0", "y", "n"}) {
            assertNull(SYNC.problem(yesOrNo, name -> null), yesOrNo);
        }
        assertEquals("MCQ_SYNC=maybe: must be true or false", SYNC.problem("maybe", Map.of("MCQ_SYNC", "maybe")::get));
        assertEquals("mcq.sync=: must be true or false", SYNC.problem("", name -> null));
    }

    @Test
    void aChoiceIsOneOfItsValues() {
        Setting policy = new Setting("mcq.queue.full.policy", Rule.oneOf("reject", "drop-oldest"));
        assertNull(policy.problem("drop-oldest", name -> null));
        assertEquals("mcq.queue.full.policy=drop-newest: must be one of reject, drop-oldest",
                policy.problem("drop-newest", name -> null));
    }
}
