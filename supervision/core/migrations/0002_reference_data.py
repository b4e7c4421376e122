"""The reference rows every installation needs: operators, cities, categories, periods."""

import datetime as dt

from django.db import migrations

OPERATORS = [
    # code, Chinese name, English name, Chinese short, English short, chart colour
    ("CMCC", "中国移动通信集团山东有限公司", "China Mobile Shandong", "中国移动", "China Mobile", "#1f77b4"),
    ("CUCC", "中国联合网络通信有限公司山东省分公司", "China Unicom Shandong", "中国联通", "China Unicom", "#d62728"),
    ("CTCC", "中国电信股份有限公司山东分公司", "China Telecom Shandong", "中国电信", "China Telecom", "#2ca02c"),
    ("CBN", "中国广电山东网络有限公司", "China Broadnet Shandong", "中国广电", "China Broadnet", "#9467bd"),
]

CITIES = [
    ("370100", "济南市", "Jinan"),
    ("370200", "青岛市", "Qingdao"),
    ("370300", "淄博市", "Zibo"),
    ("370400", "枣庄市", "Zaozhuang"),
    ("370500", "东营市", "Dongying"),
    ("370600", "烟台市", "Yantai"),
    ("370700", "潍坊市", "Weifang"),
    ("370800", "济宁市", "Jining"),
    ("370900", "泰安市", "Tai'an"),
    ("371000", "威海市", "Weihai"),
    ("371100", "日照市", "Rizhao"),
    ("371300", "临沂市", "Linyi"),
    ("371400", "德州市", "Dezhou"),
    ("371500", "聊城市", "Liaocheng"),
    ("371600", "滨州市", "Binzhou"),
    ("371700", "菏泽市", "Heze"),
]

CATEGORIES = [
    ("BL1", "设限阻挠", "Obstruction", True,
     "制造系统故障、设置系统限制、篡改数据或指令、增设携转环节、增加套餐或优惠阻挠携转、变更合约条款等阻挠用户携号转网。",
     "Creating system faults or limits, altering data or commands, adding porting steps, offers or contract changes to stop a subscriber from porting."),
    ("BL2", "违规限制", "Unlawful conditions", True,
     "不执行用户交互和流程要求；以无合同或法律依据的违约金阻挠携转；将无期限的协议期视为合约期；申请授权码前未告知受影响的业务。",
     "Ignoring the interaction and procedure requirements; penalty fees without basis; treating open-ended agreements as lock-ins; not warning about affected services before the code is issued."),
    ("BL3", "虚假宣传", "Misinformation", True,
     "编造、传播虚假信息；诋毁或比较其他运营商；隐瞒、淡化或夸大携转条件和风险。",
     "Inventing or spreading false information; disparaging other operators; hiding or exaggerating porting conditions and risks."),
    ("BL4", "不公平营销", "Unequal treatment", True,
     "针对携转用户的专属优惠；高额补贴、“终身免费”等过度营销争抢用户；携入用户须与新入网用户同等对待。",
     "Exclusive offers for porting subscribers; buying subscribers with excessive promotions; ported-in subscribers must be treated as any new subscriber."),
    ("BL5", "考核激励", "Porting KPIs", True,
     "将携入用户数作为公司、部门、员工或合作方的考核、奖励、佣金或奖金依据。",
     "Using ported-in subscribers as a KPI, reward, commission or bonus basis."),
    ("BL6", "恶意诱导申诉", "Instigated complaints", True,
     "教唆、诱导或冒充用户向工信部或管局申诉，或在公共媒体、自媒体上炒作。",
     "Instigating, inducing or impersonating subscribers to complain, or hyping in the media."),
    ("SVC", "服务质量", "Service quality", False, "办理缓慢、服务不佳、非故意的错误告知。", "Slow handling, poor service, wrong information given by accident."),
    ("OTHER", "其他", "Other", False, "", ""),
]


def create_reference_data(apps, schema_editor):
    Operator = apps.get_model("core", "Operator")
    City = apps.get_model("core", "City")
    ViolationCategory = apps.get_model("core", "ViolationCategory")
    Period = apps.get_model("core", "Period")
    for order, (code, name_zh, name_en, short_zh, short_en, color) in enumerate(OPERATORS):
        Operator.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "short_zh": short_zh, "short_en": short_en,
                      "color": color, "sort_order": order},
        )
    for order, (code, name_zh, name_en) in enumerate(CITIES):
        City.objects.update_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": order})
    for order, (code, name_zh, name_en, is_bottom_line, desc_zh, desc_en) in enumerate(CATEGORIES):
        ViolationCategory.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "is_bottom_line": is_bottom_line,
                      "description_zh": desc_zh, "description_en": desc_en, "sort_order": order},
        )
    # The provincial rules took effect in December 2019; later periods are created on demand.
    year, month = 2019, 12
    while (year, month) <= (2027, 12):
        Period.objects.get_or_create(month=dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
