"""Every action the audit log knows, in one list.

Why one enum for all apps: the audit log is read as one history (and filtered by action), so
its vocabulary must be closed and labelled in one place; ``awards.services.audit.record``
refuses anything else, which turns a misspelt action into an error instead of a silently
unfindable entry. It names the actions of ``scoring`` and ``home`` too: a list of names, not an
import of their code. The stored values never change (old entries keep matching); add a member,
with its label, when a service gains a new audited state change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Authorities, programmes, cycles and criteria (awards).
    CREATE_AUTHORITY = "create_authority", _("创建授奖机关")
    CREATE_PROGRAMME = "create_programme", _("创建奖项")
    CREATE_CYCLE = "create_cycle", _("创建届次")
    CHANGE_CYCLE_STATUS = "change_cycle_status", _("变更届次状态")
    COPY_FRAMEWORK = "copy_framework", _("复制评价准则")
    CREATE_ATTACHMENT_REQUIREMENTS = "create_attachment_requirements", _("设置申报材料要求")
    SET_INDIVIDUAL_TRACK = "set_individual_track", _("设置个人奖")

    # Accounts (awards).
    CREATE_REVIEWER = "create_reviewer", _("创建评审专家账户")
    CREATE_OFFICIAL = "create_official", _("创建工作人员账户")
    REGISTER_ORGANIZATION = "register_organization", _("申报单位注册")

    # Sign-in and account security (awards).
    LOG_IN = "log_in", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGIN_LOCKED_OUT = "login_locked_out", _("登录被锁定")
    UNLOCK_LOGIN = "unlock_login", _("解除登录锁定")
    ENABLE_TWO_FACTOR = "enable_two_factor", _("启用两步验证")
    DISABLE_TWO_FACTOR = "disable_two_factor", _("停用两步验证")
    RENEW_RECOVERY_CODES = "renew_recovery_codes", _("重新生成恢复码")
    REGISTRATION_CONFLICT = "registration_conflict", _("注册信息与已有账户重复")
    UPDATE_PROFILE = "update_profile", _("修改个人资料")
    CHANGE_PASSWORD = "change_password", _("修改密码")
    INVITE_COLLEAGUE = "invite_colleague", _("邀请单位用户")
    ACCEPT_INVITATION = "accept_invitation", _("接受单位用户邀请")
    REVOKE_INVITATION = "revoke_invitation", _("撤销单位用户邀请")

    # Applications and their evidence (awards).
    START_APPLICATION = "start_application", _("开始申报")
    SAVE_CANDIDATE = "save_candidate", _("保存个人奖候选人信息")
    SUBMIT_APPLICATION = "submit_application", _("提交申报")
    RENDER_APPLICATION_PDF = "render_application_pdf", _("生成申报书 PDF")
    UPLOAD_ATTACHMENT = "upload_attachment", _("上传附件")
    REMOVE_ATTACHMENT = "remove_attachment", _("删除附件")
    DOWNLOAD_ATTACHMENT = "download_attachment", _("下载附件")
    SCREEN_APPLICATION = "screen_application", _("资格审查决定")

    # Recommendation by a recommending body (awards).
    CREATE_RECOMMENDER = "create_recommender", _("创建推荐单位工作人员账户")
    RECOMMEND_APPLICATION = "recommend_application", _("推荐申报")
    RETURN_FOR_RECOMMENDATION = "return_for_recommendation", _("推荐单位退回修改")
    DECLINE_RECOMMENDATION = "decline_recommendation", _("不予推荐")
    WITHDRAW_RECOMMENDATION = "withdraw_recommendation", _("撤销推荐")

    # Review stages, commitments and conflicts (scoring.review).
    CREATE_REVIEW_STAGES = "create_review_stages", _("设置评审阶段")
    CHANGE_REVIEW_STAGE = "change_review_stage", _("修改评审阶段")
    APPLY_ADVANCEMENT = "apply_advancement", _("确定晋级")
    ACCEPT_COMMITMENT = "accept_commitment", _("签署评审承诺")
    DECLARE_CONFLICT = "declare_conflict", _("申报利益冲突")
    FINISH_DECLARATIONS = "finish_declarations", _("完成利益冲突申报")
    OVERRIDE_CONFLICT = "override_conflict", _("豁免利益冲突")

    # Panels and assignments (scoring.review).
    AUTO_ASSIGN = "auto_assign", _("自动分配评审专家")
    ASSIGN_REVIEWER = "assign_reviewer", _("人工分配评审专家")
    REMOVE_ASSIGNMENT = "remove_assignment", _("移除评审分配")
    SET_PANEL_LEADER = "set_panel_leader", _("指定评审组组长")
    RECUSE = "recuse", _("评审专家回避")
    HAND_OVER_PANEL_LEADER = "hand_over_panel_leader", _("移交评审组组长")

    # Scorecards and consensus (scoring.review).
    SAVE_SCORECARD = "save_scorecard", _("保存评分表")
    SUBMIT_SCORECARD = "submit_scorecard", _("提交评分表")
    REOPEN_SCORECARD = "reopen_scorecard", _("退回评分表")
    IMPORT_SCORES = "import_scores", _("导入评分")
    SEND_REVIEW_REMINDERS = "send_review_reminders", _("发送评审提醒")
    SAVE_CONSENSUS = "save_consensus", _("保存评审组共识")
    FINALIZE_CONSENSUS = "finalize_consensus", _("确定评审组共识")
    COMMENT_ON_CONSENSUS = "comment_on_consensus", _("发表共识讨论意见")
    MARK_CONSENSUS_STALE = "mark_consensus_stale", _("共识因退回评分表待重新确认")

    # Results (scoring.results).
    CHANGE_RESULTS_SETTINGS = "change_results_settings", _("修改结果计算设置")
    REQUEST_RESULTS_COMPUTATION = "request_results_computation", _("请求计算评审结果")
    FAIL_RESULTS_COMPUTATION = "fail_results_computation", _("评审结果计算失败")
    ABANDON_RESULTS_COMPUTATION = "abandon_results_computation", _("放弃评审结果计算")
    COMPUTE_RESULTS = "compute_results", _("计算评审结果")
    APPROVE_RESULTS = "approve_results", _("批准评审结果")
    # The committee (评审委员会) and its decision (审定) (scoring.results, home).
    SET_COMMITTEE = "set_committee", _("设置评审委员会")
    RECORD_COMMITTEE_DECISION = "record_committee_decision", _("记录评审委员会审定")
    RECORD_COMMITTEE_VOTE = "record_committee_vote", _("记录评审委员会表决")
    APPROVE_RESULTS_PAGE = "approve_results_page", _("审核通过结果页面")

    # Public notice, objections, announcement and revocation (scoring.publication, home).
    OPEN_PUBLIC_NOTICE = "open_public_notice", _("开始结果公示")
    SUBMIT_OBJECTION = "submit_objection", _("提出异议")
    RESOLVE_OBJECTION = "resolve_objection", _("处理异议")
    ANNOUNCE_RESULTS = "announce_results", _("发布表彰决定")
    REVOKE_AWARD = "revoke_award", _("撤销获奖")
    CREATE_RESULTS_NOTICE_PAGE = "create_results_notice_page", _("创建结果公示页面")
    CREATE_WINNERS_PAGE = "create_winners_page", _("创建获奖名单页面")

    # Certificates (scoring.certificates).
    ISSUE_CERTIFICATES = "issue_certificates", _("颁发证书")
    CERTIFICATES_PRINTED = "certificates_printed", _("证书生成完成")

    # Files and exports handed to officials and reviewers (awards, scoring), the notice calendar.
    DOWNLOAD_APPLICATION_PDF = "download_application_pdf", _("下载申报书 PDF")
    EXPORT_DATA = "export_data", _("导出数据")
    DOWNLOAD_OBJECTION_EVIDENCE = "download_objection_evidence", _("下载异议证明材料")
    CONFIRM_HOLIDAY_YEAR = "confirm_holiday_year", _("确认年度节假日安排")

    # Stage list and the defence stage (scoring.review).
    ADD_REVIEW_STAGE = "add_review_stage", _("增加评审阶段")
    REMOVE_REVIEW_STAGE = "remove_review_stage", _("删除评审阶段")
    ADD_DEFENCE_QUESTION = "add_defence_question", _("提出问询问题")
    SEND_DEFENCE_QUESTIONS = "send_defence_questions", _("发出问询问题")
    ANSWER_DEFENCE_QUESTION = "answer_defence_question", _("答复问询问题")
    SAVE_SITE_ISSUES = "save_site_issues", _("列出现场待核实问题")

    # Notifications (awards).
    RETRY_NOTIFICATION = "retry_notification", _("重新发送消息")
    EDIT_MESSAGE_TEMPLATE = "edit_message_template", _("修改消息模板")
    RESET_MESSAGE_TEMPLATE = "reset_message_template", _("恢复默认消息模板")
