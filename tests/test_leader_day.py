"""The leader's day after ordering: catalog changes, arrival, pickup, returns, money and reports."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.app import build_app
from bot.clock import ManualClock
from bot.jobs import cutoff, daily_deals, run_campaign_job, run_group_job
from bot.simulation import SimulatedGroup
from models.tables import Order, OrderLine, Product, ReturnRequest
from tests import dbview
from tests.conftest import GROUP_CHAT, GROUP_NAME, LEADER, make_settings, stock_catalog

LEADER_ID = SimulatedGroup.wechat_id(LEADER)


def in_group(group: SimulatedGroup, sent: list) -> list[str]:  # type: ignore[type-arg]
    return [group.render(m) for m in sent if m.chat_id == GROUP_CHAT]


def to_leader(group: SimulatedGroup, sent: list) -> list[str]:  # type: ignore[type-arg]
    return [m.text for m in sent if m.chat_id == LEADER_ID]


def test_listing_a_new_product_and_changing_price_stock_and_limit(open_group: SimulatedGroup) -> None:
    [listed] = open_group.texts(open_group.say(LEADER, "上架 麒麟西瓜 2.5/斤 库存100 限购10"))
    assert "已上架 8. 麒麟西瓜 ¥2.5/斤 每人限10斤 共100斤" in listed
    open_group.say("王五", "西瓜5斤")
    assert dbview.orders(open_group.app) == {"王五": {"麒麟西瓜": Decimal(5)}}

    [changed] = open_group.texts(open_group.say(LEADER, "改价 8 2.8"))
    assert "改为 ¥2.8/斤" in changed
    open_group.say("赵六", "西瓜2斤")
    with Session(open_group.app.engine) as session:
        prices = sorted(line.price_fen for line in session.exec(select(OrderLine)))
    assert prices == [250, 280]  # what was ordered keeps the price it was ordered at

    open_group.say(LEADER, "库存 8 8")
    [sold_out] = open_group.texts(open_group.say("孙叔", "西瓜3斤"))
    assert "库存不够了，只剩1斤" in sold_out
    open_group.say(LEADER, "限购 8 不限")
    open_group.say(LEADER, "下架 8")
    [unlisted] = open_group.texts(open_group.say("孙叔", "西瓜1斤"))
    assert "西瓜" in unlisted and "孙叔" not in dbview.orders(open_group.app)


@pytest.mark.parametrize("command", ["限购 4 0", "限购 4 NaN", "限购 4 -1", "库存 4 Infinity", "改价 4 abc"])
def test_a_nonsense_limit_stock_or_price_is_refused_with_the_format(
    open_group: SimulatedGroup, command: str
) -> None:
    [answer] = open_group.texts(open_group.say(LEADER, command))
    assert "格式" in answer
    open_group.say("王五", "鸡蛋2板")
    assert dbview.orders(open_group.app) == {"王五": {"土鸡蛋": Decimal(2)}}  # the old limit of 2 holds


def test_a_price_in_fractions_of_a_fen_rounds_half_up(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "改价 1 5.995")
    open_group.say(LEADER, "改价 2 5.99")
    open_group.say("王五", "富士1斤 青苹果1.5斤")
    with Session(open_group.app.engine) as session:
        prices = sorted(line.price_fen for line in session.exec(select(OrderLine)))
    assert prices == [599, 600]  # 599.5 fen is 6 yuan, as a shop rounds
    [mine] = open_group.texts(open_group.say("王五", "我的订单"))
    assert "8.99" in mine  # 1.5斤 × ¥5.99 = 898.5 fen, rounded up


def test_stats_round_half_fen_up_like_the_orders(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "改价 1 2.53")
    [ordered] = open_group.texts(open_group.say("张三", "富士0.5斤"))
    assert "合计¥1.27" in ordered  # 126.5 fen
    [stats] = open_group.texts(open_group.say(LEADER, "统计"))
    assert "销售额 ¥1.27，1单" in stats


def test_relisting_by_name_with_a_new_price_uses_the_new_price(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "上架 麒麟西瓜 2.5/斤 库存100 限购10")
    [relisted] = open_group.texts(open_group.say(LEADER, "上架 麒麟西瓜 2.8/斤 库存50"))
    assert "8. 麒麟西瓜 ¥2.8/斤 每人限10斤 共50斤" in relisted
    [new] = open_group.texts(open_group.say(LEADER, "上架 西瓜 3/斤"))
    assert "9. 西瓜 ¥3/斤" in new  # a new product, not a price change of 麒麟西瓜


def test_arrival_notice_for_120_buyers_mentions_everyone_in_batches(open_group: SimulatedGroup) -> None:
    buyers = [f"邻居{i:03d}" for i in range(120)]
    for name in buyers:
        open_group.say(name, "西红柿1斤")
    open_group.say(LEADER, "代 王奶奶 鸡蛋1板")
    open_group.say(LEADER, "截单")
    sent = open_group.say(LEADER, "到货")
    notices = [m for m in sent if m.chat_id == GROUP_CHAT]
    limit = open_group.app.settings.outbox.max_mentions
    assert len(notices) == 120 // limit
    assert all(len(m.mention_ids) <= limit for m in notices)
    mentioned = [wechat_id for m in notices for wechat_id in m.mention_ids]
    assert sorted(mentioned) == sorted(SimulatedGroup.wechat_id(name) for name in buyers)
    assert all("到货啦" in m.text for m in notices)
    # The elderly neighbour cannot be mentioned: the leader gets her order with the address.
    [delivery] = to_leader(open_group, sent)
    assert "王奶奶" in delivery and "送上门" in delivery
    assert dbview.campaigns(open_group.app)[0].status == "arrived"


def test_pickup_by_leader_code_and_member_then_the_unpicked_list(open_group: SimulatedGroup) -> None:
    for name in ("张三", "李四", "王五"):
        open_group.say(name, "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    codes = {o.member_id: o.pickup_code for o in dbview.order_rows(open_group.app)}
    members = dbview.members(open_group.app)

    [marked] = open_group.texts(open_group.say(LEADER, "已取 张三"))
    assert "已取货：张三" in marked and "还有2户没取" in marked
    [by_code] = open_group.texts(open_group.say(LEADER, f"核销 {codes[members['李四'].id]}"))
    assert by_code.splitlines() == ["✅ 已取货：李四", "还有1户没取"]
    [unpicked] = open_group.texts(open_group.say(LEADER, "未取"))
    assert "王五" in unpicked and "张三" not in unpicked
    [thanks] = open_group.texts(open_group.say("王五", "拿到了，谢谢团长"))
    assert "王五 已取货" in thanks
    [done] = open_group.texts(open_group.say(LEADER, "未取"))
    assert "全部取完了" in done
    assert all(o.picked_up_at is not None for o in dbview.order_rows(open_group.app))


def test_who_has_not_collected_or_paid_may_be_asked_as_a_question(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单！")
    open_group.say(LEADER, "到货")
    [unpicked] = open_group.texts(open_group.say(LEADER, "谁还没取？"))
    assert "还有1户没取" in unpicked and "张三" in unpicked
    [unpaid] = open_group.texts(open_group.say(LEADER, "还有谁没付款"))
    assert "张三 ¥12.8" in unpaid
    [refused] = open_group.texts(open_group.say("张三", "谁没付"))
    assert "只有团长" in refused


def test_marking_the_last_pickup_says_everyone_has_collected(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "代 5栋101 刘奶奶 鸡蛋1板")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    [marked] = open_group.texts(open_group.say(LEADER, "已取 张三 刘奶奶"))
    assert marked.splitlines() == ["✅ 已取货：张三、刘奶奶", "🎉 全部取完了"]


def test_a_return_with_a_photo_approved_with_its_refund(open_group: SimulatedGroup, tmp_path: Path) -> None:
    open_group.say("王五", "红富士苹果4斤")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    sent = open_group.say("王五", "退货 红富士苹果1斤 烂了")
    [received] = in_group(open_group, sent)
    assert "退货申请 #1：红富士苹果1斤（烂了）" in received
    [for_leader] = to_leader(open_group, sent)
    assert "同意退货" in for_leader
    photo = tmp_path / "apple.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    open_group.say_image("王五", str(photo))
    [approved] = open_group.texts(open_group.say(LEADER, "同意退货 1"))
    assert "退款¥5.9" in approved and approved.startswith("@王五")
    with Session(open_group.app.engine) as session:
        [request] = session.exec(select(ReturnRequest)).all()
    assert (request.status, request.refund_fen, request.photo_path) == ("approved", 590, str(photo))


def test_a_return_larger_than_the_order_is_refused_and_a_rejection_is_explained(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("王五", "红富士苹果2斤")
    open_group.say(LEADER, "截单")
    [too_many] = open_group.texts(open_group.say("王五", "退货 红富士苹果3斤 坏了"))
    assert "只订了2斤" in too_many
    open_group.say("王五", "退货 红富士苹果1斤 坏了")
    [rejected] = open_group.texts(open_group.say(LEADER, "拒绝退货 1 已经过了售后时间"))
    assert "没有通过：已经过了售后时间" in rejected


def test_a_return_without_a_clear_quantity_is_recorded_and_the_leader_sets_the_refund(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("王五", "鸡蛋1板 富士2斤")
    open_group.say(LEADER, "截单")
    sent = open_group.say("王五", "退货 鸡蛋 碎了两个")
    [received] = in_group(open_group, sent)
    assert received.splitlines() == [
        "@王五 📝 王五 退货申请 #1：土鸡蛋（鸡蛋 碎了两个），团长会尽快处理，退多少团长核实后定",
        "有照片的话直接发上来",
    ]
    [for_leader] = to_leader(open_group, sent)
    assert "#1 土鸡蛋（鸡蛋 碎了两个） ⚠️数量没写清" in for_leader and "同意退货 1 5元" in for_leader
    [needs_amount] = open_group.texts(open_group.say(LEADER, "同意退货 1"))  # a whole tray for two eggs?
    assert needs_amount == "退货 #1（土鸡蛋）没写数量，请写上退款金额，比如「同意退货 1 5元」"
    [approved] = open_group.texts(open_group.say(LEADER, "同意退货 1 2元"))
    assert "退货 #1（土鸡蛋）已同意，退款¥2" in approved
    # The unclear return holds nothing back: a clear one for the tray is still possible.
    [second] = in_group(open_group, open_group.say("王五", "退货 鸡蛋1板 碎了"))
    assert "退货申请 #2：土鸡蛋1板（碎了）" in second
    with Session(open_group.app.engine) as session:
        requests = session.exec(select(ReturnRequest).order_by(col(ReturnRequest.id))).all()
    assert [(r.qty, r.status, r.refund_fen) for r in requests] == [
        (Decimal(0), "approved", 200),
        (Decimal(1), "pending", 0),
    ]


def test_a_complaint_without_the_word_return_is_shown_how_to_ask_for_one(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "鸡蛋1板")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    [hint] = open_group.texts(open_group.say("王五", "鸡蛋碎了两个"))
    assert "比如：退货 土鸡蛋1板 碎了两个" in hint and "截单" not in hint
    [short] = open_group.texts(open_group.say("王五", "鸡蛋少给了一板"))
    assert "退货 土鸡蛋1板 少给了一板" in short  # her words, never a 坏了 she did not say
    assert open_group.texts(open_group.say("李四", "我家水管坏了")) == []  # not about anything bought
    open_group.say(LEADER, "开团")
    # Messages that order are orders, whatever they say of last time.
    open_group.say("王五", "鸡蛋1板，不要碎的")
    open_group.say("王五", "香蕉2把，上次的鸡蛋有点碎了，这次小心点")
    header = "#接龙\n幸福小区 水果鸡蛋团 坏了包退\n例 3栋502 王姐 红富士苹果2斤\n\n"
    open_group.say("王五", header + "1. 王五 西红柿1斤")
    [today] = [c.id for c in dbview.campaigns(open_group.app) if c.status == "open"]
    assert dbview.orders(open_group.app, today) == {
        "王五": {"土鸡蛋": Decimal(1), "海南香蕉": Decimal(2), "本地西红柿": Decimal(1)}
    }
    with Session(open_group.app.engine) as session:
        assert session.exec(select(ReturnRequest)).all() == []


def test_a_member_cannot_approve_returns(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤")
    open_group.say(LEADER, "截单")
    open_group.say("王五", "退货 红富士苹果1斤 坏了")
    [refused] = open_group.texts(open_group.say("王五", "同意退货 1"))
    assert "只有团长" in refused
    with Session(open_group.app.engine) as session:
        assert session.exec(select(ReturnRequest.status)).all() == ["pending"]


def test_paid_unpaid_and_the_amount_due_after_a_refund(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "红富士苹果2斤")
    open_group.say("李四", "鸡蛋1板")
    open_group.say(LEADER, "截单")
    open_group.say("张三", "退货 红富士苹果1斤 坏了")
    open_group.say(LEADER, "同意退货 1")
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "还有2户未付，共¥33.9" in unpaid
    assert "张三 ¥5.9" in unpaid and "李四 ¥28" in unpaid
    [paid] = open_group.texts(open_group.say(LEADER, "已付 李四"))
    assert "已收款：李四" in paid
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "李四" not in unpaid and "张三 ¥5.9" in unpaid
    with Session(open_group.app.engine) as session:
        paid_orders = session.exec(select(Order).where(Order.paid_at.is_not(None))).all()  # type: ignore[union-attr]
    assert len(paid_orders) == 1


def test_a_member_saying_they_paid_is_passed_to_the_leader(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "红富士苹果2斤")
    sent = open_group.say("张三", "已付")
    assert in_group(open_group, sent) == ["@张三 张三 收到，团长核对后会确认🙏"]
    [note] = to_leader(open_group, sent)
    assert "张三 说已付款（应付¥11.8）" in note
    assert all(order.paid_at is None for order in dbview.order_rows(open_group.app))  # the leader decides


def test_stats_report_sales_returns_and_commission(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "红富士苹果10斤")
    open_group.say("李四", "鸡蛋1板")
    open_group.say(LEADER, "截单")
    open_group.say("张三", "退货 红富士苹果2斤 坏了")
    open_group.say(LEADER, "同意退货 1")
    [stats] = open_group.texts(open_group.say(LEADER, "统计"))
    # 10% commission on what was finally paid: (59 - 11.8 + 28) × 10% = 7.52
    assert stats.splitlines()[1:] == ["销售额 ¥87，2单", "退货 1笔（50.0%），已退款 ¥11.8", "佣金 ¥7.52"]
    assert stats.startswith("📊 本团统计（")


def test_export_writes_a_spreadsheet_and_sends_it_to_the_leader(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "红富士苹果2斤")
    open_group.say(LEADER, "代 王奶奶 鸡蛋1板")
    sent = open_group.say(LEADER, "导出")
    [message] = [m for m in sent if m.chat_id == LEADER_ID]
    assert message.file_path is not None and message.file_path.endswith(".xlsx")
    workbook = load_workbook(message.file_path)
    summary = [row for row in workbook["供货汇总"].iter_rows(values_only=True)]
    assert summary[1][:5] == ("1", "红富士苹果", None, 2, "斤")  # an empty cell reads back as None
    sorting = [row for row in workbook["分拣单"].iter_rows(values_only=True)]
    assert sorting[2][:2] == ("王奶奶", "是")


def test_a_campaign_opened_from_a_pasted_deal_post(group: SimulatedGroup) -> None:
    sent = group.say(
        LEADER,
        "开团 周末水果团 今晚8点截单 明天下午3点北门取货\n"
        "1. 麒麟西瓜 2.5/斤 限购10\n2. 红富士苹果 6.2/斤\n3. 好吃的",
    )
    [deals] = [m.text for m in sent if m.chat_id == GROUP_CHAT]
    assert "🛒 周末水果团" in deals
    assert "1. 麒麟西瓜 ¥2.5/斤 每人限10斤" in deals and "2. 红富士苹果 ¥6.2/斤" in deals
    assert "今天20:00截单" in deals and "明天15:00北门自提" in deals
    assert "海南香蕉" not in deals  # only what the post lists is on sale
    [unread] = [m.text for m in sent if m.chat_id == LEADER_ID]
    assert "3. 好吃的" in unread
    group.say("王五", "2号x2")  # members order by the numbers in the post
    group.say("赵六", "西瓜3斤")
    assert dbview.orders(group.app) == {"王五": {"红富士苹果": Decimal(2)}, "赵六": {"麒麟西瓜": Decimal(3)}}
    with Session(group.app.engine) as session:
        codes = {p.name: p.code for p in session.exec(select(Product))}
    assert codes["红富士苹果"] == "2" and codes["麒麟西瓜"] == "1"
    assert len(set(codes.values())) == len(codes)  # the product that had number 1 moved to a free one


def test_a_deal_post_sent_at_night_for_tomorrow_closes_tomorrow(group: SimulatedGroup) -> None:
    group.app.clock.advance(hours=13)  # 21:00
    sent = group.say(LEADER, "开团 周末水果团 8点截单 下午3点北门取货\n1. 麒麟西瓜 2.5/斤")
    [deals] = [m.text for m in sent if m.chat_id == GROUP_CHAT]
    assert "明天08:00截单" in deals and "明天15:00北门自提" in deals
    [campaign] = dbview.campaigns(group.app)
    assert campaign.cutoff_at is not None and campaign.cutoff_at > group.app.clock()


def test_commission_by_product_category_and_default(
    engine: Engine, clock: ManualClock, tmp_path: Path
) -> None:
    settings = replace(
        make_settings(data_dir=str(tmp_path)), commission_bp=1000, commission_categories={"蛋": 500}
    )
    app = build_app(settings, clock=clock, engine=engine, instant_outbox=True, migrate=False)
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "code,name,aliases,unit,price,stock,limit,category\n1,红富士苹果,,斤,10,,,水果\n2,土鸡蛋,,板,20,,,蛋\n",
        encoding="utf-8",
    )
    stock_catalog(app, catalog)
    group = SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME)
    group.say(LEADER, "开团")
    group.say("张三", "红富士苹果10斤")  # ¥100 at the usual 10%: ¥10
    group.say("李四", "鸡蛋2板")  # ¥40 at the egg rate of 5%: ¥2
    [stats] = group.texts(group.say(LEADER, "统计"))
    assert "佣金 ¥12" in stats


def test_a_leader_asking_again_is_answered_again(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    assert open_group.say(LEADER, "汇总")  # the same words as the cutoff's summary, and still sent
    open_group.say(LEADER, "到货")
    assert open_group.say(LEADER, "未付")
    open_group.app.clock.advance(hours=5)
    assert open_group.say(LEADER, "未付")


def test_leader_only_lists_reach_a_configured_leader_who_has_not_spoken_yet(group: SimulatedGroup) -> None:
    [row] = dbview.groups(group.app)
    assert row.id is not None
    run_group_job(group.app, row.id, daily_deals)
    group.flush()
    group.say("吴婶", "3栋502 吴婶 鸡蛋1板")
    group.app.clock.advance(hours=12)
    [campaign] = dbview.campaigns(group.app)
    assert campaign.id is not None
    run_campaign_job(group.app, campaign.id, cutoff)
    sent = group.flush()
    assert not any("3栋502" in m.text for m in sent if m.chat_id == GROUP_CHAT)
    assert any("分拣单" in m.text for m in sent if m.chat_id == LEADER_ID)


def test_a_return_is_read_against_what_was_bought(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "红富士3斤")
    open_group.say("李四", "西红柿3斤")
    open_group.say(LEADER, "截单")
    [apples] = in_group(open_group, open_group.say("张三", "退货 苹果2斤 有虫"))  # his apples are 红富士
    assert "退货申请 #1：红富士苹果2斤（有虫）" in apples
    [bananas] = in_group(open_group, open_group.say("张三", "退货 香蕉1把 坏了"))
    assert "您这次没有订海南香蕉" in bananas
    [tomatoes] = in_group(open_group, open_group.say("李四", "退货 西红柿 全烂了"))  # no count written
    assert "退多少团长核实后定" in tomatoes
    with Session(open_group.app.engine) as session:
        requests = session.exec(select(ReturnRequest).order_by(col(ReturnRequest.id))).all()
    assert [r.qty for r in requests] == [Decimal(2), Decimal(0)]
