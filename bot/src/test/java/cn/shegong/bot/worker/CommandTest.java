package cn.shegong.bot.worker;

import java.util.Optional;

import cn.shegong.bot.worker.Command.Verb;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a worker's typing on a phone reads as commands: the forgiving cases and the ones that must not be commands. */
class CommandTest {

    final Command.Words words = new Command.Words();

    @Test
    void aCaseByShortCodeOrNumberInAnyWidthAndCase() {
        assertEquals(Optional.of(new Command(Verb.ACCEPT, Optional.of("0007"), "")), words.parse("接单 0007"));
        assertEquals(Optional.of(new Command(Verb.ACCEPT, Optional.of("0007"), "")), words.parse("接单０００７"), "full-width digits, no space");
        assertEquals(Optional.of(new Command(Verb.DETAILS, Optional.of("BS20261130-0007"), "")), words.parse(" 详情 bs20261130-0007 "));
        assertEquals(Optional.of(new Command(Verb.DETAILS, Optional.of("BS20261130-0007"), "")), words.parse("详情 ＢＳ２０２６１１３０－０００７"));
        assertEquals(Optional.of(new Command(Verb.CLOSE, Optional.of("7"), "已协助申请临时救助")), words.parse("结案 7：已协助申请临时救助"));
        assertEquals(Optional.of(new Command(Verb.REPLY, Optional.of("0012"), "明天上午到")), words.parse("回复0012 明天上午到"));
    }

    @Test
    void aWordAloneAsksForTheCaseAndWordsWithoutArgumentsMustStandAlone() {
        assertEquals(Optional.of(new Command(Verb.ACCEPT, Optional.empty(), "")), words.parse("接单。"));
        assertEquals(Optional.of(new Command(Verb.TASKS, Optional.empty(), "")), words.parse("我的任务"));
        assertEquals(Optional.of(new Command(Verb.DONE, Optional.empty(), "")), words.parse("完成！"));
        assertEquals(Optional.empty(), words.parse("完成了一半，明天再去"), "a sentence is a note, not the command");
        assertEquals(Optional.empty(), words.parse("已联系村医每周上门一次"), "a note that begins with a command word");
        assertEquals(Optional.empty(), words.parse("任务书已经交了"));
    }

    @Test
    void bindingCodesAndHelpAsAResident() {
        assertEquals(Optional.of(new Command(Verb.BIND, Optional.of("AB12CD"), "")), words.parse("绑定 ab12cd"));
        assertEquals(Optional.of(new Command(Verb.AS_RESIDENT, Optional.empty(), "我家老人摔了")), words.parse("求助 我家老人摔了"));
        assertEquals(Optional.of(new Command(Verb.AS_RESIDENT, Optional.empty(), "我家老人摔了")), words.parse("求助：我家老人摔了"));
        assertEquals(Optional.empty(), words.parse("求助人今天又摔倒了"), "a note about the person who asked is a note");
    }
}
