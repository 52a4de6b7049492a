"""GB/T 19580-2012 卓越绩效评价准则 as plain data.

Kept as data (not logic) because domain.md marks the item values as the commonly cited 2012
table: the data migration loads it into editable framework rows, and the offline results
command (``manage.py compute_results``) reads it without touching a database.
"""

from dataclasses import dataclass

PROCESS = "process"
RESULTS = "results"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    code: str
    name: str
    points: int
    kind: str
    guidance: str


@dataclass(frozen=True, slots=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    points: int
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True, slots=True)
class FrameworkSpec:
    code: str
    version: str
    name: str
    total_points: int
    categories: tuple[CategorySpec, ...]

    def items(self) -> tuple[ItemSpec, ...]:
        return tuple(item for category in self.categories for item in category.items)


def _p(code: str, name: str, points: int, guidance: str) -> ItemSpec:
    return ItemSpec(code, name, points, PROCESS, guidance)


def _r(code: str, name: str, points: int, guidance: str) -> ItemSpec:
    return ItemSpec(code, name, points, RESULTS, guidance)


GB_T_19580_2012 = FrameworkSpec(
    code="GB/T 19580",
    version="2012",
    name="卓越绩效评价准则",
    total_points=1000,
    categories=(
        CategorySpec(
            "4.1",
            "领导",
            "Leadership",
            110,
            (
                _p(
                    "4.1.1",
                    "高层领导的作用",
                    50,
                    "高层领导如何确定使命、愿景和价值观，如何双向沟通，营造诚信守法、改进创新的环境，"
                    "并推动组织绩效的提升。",
                ),
                _p(
                    "4.1.2",
                    "组织治理",
                    30,
                    "组织如何实施治理，确保管理责任、财务责任、内外部审核的独立性和相关方利益的保护，"
                    "以及如何评价高层领导和治理机构的绩效。",
                ),
                _p(
                    "4.1.3",
                    "社会责任",
                    30,
                    "组织如何履行公共责任、遵守道德规范、支持公益事业，预见并应对产品、服务和运营对社会的"
                    "不利影响。",
                ),
            ),
        ),
        CategorySpec(
            "4.2",
            "战略",
            "Strategy",
            90,
            (
                _p(
                    "4.2.1",
                    "战略制定",
                    40,
                    "组织如何制定战略和战略目标，战略制定过程如何考虑优势、劣势、机会和挑战，以及长短期计划"
                    "的平衡。",
                ),
                _p(
                    "4.2.2",
                    "战略部署",
                    50,
                    "组织如何将战略目标转化为实施计划和关键绩效指标，配置资源并预测绩效，与竞争对手和标杆"
                    "对比。",
                ),
            ),
        ),
        CategorySpec(
            "4.3",
            "顾客与市场",
            "Customers and market",
            90,
            (
                _p(
                    "4.3.1",
                    "顾客和市场的了解",
                    40,
                    "组织如何细分市场和顾客群，了解顾客的需求、期望和偏好，并用于产品和服务的开发与改进。",
                ),
                _p(
                    "4.3.2",
                    "顾客关系与顾客满意",
                    50,
                    "组织如何建立顾客关系、处理投诉，如何测量顾客满意和忠诚并据此改进。",
                ),
            ),
        ),
        CategorySpec(
            "4.4",
            "资源",
            "Resources",
            130,
            (
                _p(
                    "4.4.1",
                    "人力资源",
                    60,
                    "组织如何设计工作系统，开展员工学习与发展，保障员工权益，提高员工满意度和敬业度。",
                ),
                _p(
                    "4.4.2",
                    "财务资源",
                    15,
                    "组织如何确定资金需求、保证资金供给、实施资金预算管理并控制财务风险。",
                ),
                _p(
                    "4.4.3",
                    "信息和知识资源",
                    20,
                    "组织如何识别和开发信息资源，确保信息系统和数据的可靠、安全，管理和共享知识。",
                ),
                _p(
                    "4.4.4",
                    "技术资源",
                    15,
                    "组织如何评估和开发技术能力，开展技术创新，保护知识产权。",
                ),
                _p(
                    "4.4.5",
                    "基础设施",
                    10,
                    "组织如何提供和维护满足战略和运营需要的基础设施，确保其安全可靠。",
                ),
                _p(
                    "4.4.6",
                    "相关方关系",
                    10,
                    "组织如何与供方、合作伙伴等相关方建立和保持双赢关系，提高供应链绩效。",
                ),
            ),
        ),
        CategorySpec(
            "4.5",
            "过程管理",
            "Process management",
            100,
            (
                _p(
                    "4.5.1",
                    "过程的识别与设计",
                    50,
                    "组织如何识别和确定主要价值创造过程和支持过程，确定过程要求并进行过程设计。",
                ),
                _p(
                    "4.5.2",
                    "过程的实施与改进",
                    50,
                    "组织如何实施、控制过程，使用关键绩效指标监测过程，并系统地改进过程绩效。",
                ),
            ),
        ),
        CategorySpec(
            "4.6",
            "测量、分析与改进",
            "Measurement, analysis and improvement",
            80,
            (
                _p(
                    "4.6.1",
                    "测量、分析和评价",
                    40,
                    "组织如何选择、收集和整合绩效数据，开展对比分析，评价组织绩效并支持决策。",
                ),
                _p(
                    "4.6.2",
                    "改进与创新",
                    40,
                    "组织如何管理改进和创新活动，运用质量工具和方法，推动持续改进和创新。",
                ),
            ),
        ),
        CategorySpec(
            "4.7",
            "结果",
            "Results",
            400,
            (
                _r(
                    "4.7.1",
                    "产品和服务结果",
                    80,
                    "主要产品和服务的关键绩效指标的当前水平和趋势，与竞争对手和标杆的对比。",
                ),
                _r(
                    "4.7.2",
                    "顾客与市场结果",
                    80,
                    "顾客满意度、忠诚度，市场占有率和市场地位的当前水平、趋势和对比。",
                ),
                _r(
                    "4.7.3",
                    "财务结果",
                    80,
                    "营业收入、利润、资产收益、现金流等财务绩效的当前水平、趋势和对比。",
                ),
                _r(
                    "4.7.4",
                    "资源结果",
                    60,
                    "人力资源、基础设施、信息知识、技术和相关方关系等方面结果的水平、趋势和对比。",
                ),
                _r(
                    "4.7.5",
                    "过程有效性结果",
                    50,
                    "主要价值创造过程和支持过程的有效性和效率指标的水平、趋势和对比。",
                ),
                _r(
                    "4.7.6",
                    "领导方面的结果",
                    50,
                    "战略实施、组织治理、公共责任、道德行为和公益支持方面结果的水平、趋势和对比。",
                ),
            ),
        ),
    ),
)


#: The default criteria for the individual award (个人质量奖): not GB/T 19580, which judges an
#: organization. Categories and values follow the headings provincial measures commonly use for
#: individuals; they are loaded as editable data (an authority adjusts its own copy).
INDIVIDUAL_QUALITY_2023 = FrameworkSpec(
    code="GR-ZL",
    version="2023",
    name="个人质量奖评价准则",
    total_points=100,
    categories=(
        CategorySpec(
            "1",
            "质量理念与领导力",
            "Quality philosophy and leadership",
            25,
            (
                _p("1.1", "质量理念", 10, "候选人倡导和践行的质量理念，及其在组织内的传播和认同。"),
                _p(
                    "1.2",
                    "质量领导力",
                    15,
                    "候选人如何推动组织确立质量战略、营造质量文化，带领团队持续改进。",
                ),
            ),
        ),
        CategorySpec(
            "2",
            "质量管理实践与创新",
            "Quality management practice and innovation",
            30,
            (
                _p(
                    "2.1",
                    "质量管理实践",
                    15,
                    "候选人主持或推动的质量管理体系、卓越绩效、精益六西格玛等实践及其系统性。",
                ),
                _p(
                    "2.2",
                    "质量创新",
                    15,
                    "候选人在质量管理方法、技术、标准等方面的创新及其在实践中的应用。",
                ),
            ),
        ),
        CategorySpec(
            "3",
            "质量绩效与贡献",
            "Quality results and contribution",
            30,
            (
                _r(
                    "3.1",
                    "质量绩效",
                    15,
                    "候选人推动取得的产品、服务和经营质量结果的水平、趋势和对比。",
                ),
                _r(
                    "3.2",
                    "社会贡献",
                    15,
                    "候选人对行业、区域质量发展的贡献，如主导制定标准、解决重大质量问题。",
                ),
            ),
        ),
        CategorySpec(
            "4",
            "示范引领",
            "Leading by example",
            15,
            (
                _r(
                    "4.1",
                    "示范引领作用",
                    15,
                    "候选人的事迹在行业和社会中的示范作用，培养质量人才、推广先进经验的情况。",
                ),
            ),
        ),
    ),
)
