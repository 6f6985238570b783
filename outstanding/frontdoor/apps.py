from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "outstanding.frontdoor"
    label = "frontdoor"

    def ready(self) -> None:
        # A child's summary (a people page) includes frontdoor/_child_section.html, which reads the child's
        # contacts and referrals through this selector: the people part needn't know the front door exists.
        from django.template import engines

        from outstanding.frontdoor.selectors import child_front_door

        for engine in engines.all():
            env = getattr(engine, "env", None)
            if env is not None:
                env.globals["child_front_door"] = child_front_door
