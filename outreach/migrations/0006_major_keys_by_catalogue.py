"""Match by the national majors catalogue (jianxi_portal 0012 loaded it): every published post's
requirement is keyed anew (catalogue codes, "t:" text for parts not in the catalogue, "*" when open
to all majors), and every profile gets the codes of the person's major, its 专业类 and 门类.
The existing free-text majors are mapped where the catalogue has them; the rest stay text."""

from django.db import migrations

from jianxi_portal.core.majors import Catalogue, normalise


def rekey(apps, schema_editor):
    Major = apps.get_model("jianxi_portal", "Major")
    Post = apps.get_model("positions", "Post")
    PostKey = apps.get_model("outreach", "PostKey")
    SeekerProfile = apps.get_model("outreach", "SeekerProfile")
    catalogue = Catalogue.from_rows(Major.objects.values_list("code", "name", "catalogue", "level", "path"))
    PostKey.objects.all().delete()
    keys = []
    published = Post.objects.filter(status="approved", published_on__isnull=False)
    for pk, majors, region_id, published_on in published.values_list("pk", "majors", "region_id",
                                                                      "published_on").iterator(chunk_size=2000):
        keys += [PostKey(post_id=pk, key=key[:50], region_id=region_id, published_on=published_on)
                 for key in catalogue.requirement(majors).keys]
        if len(keys) >= 2000:
            PostKey.objects.bulk_create(keys, ignore_conflicts=True)
            keys = []
    PostKey.objects.bulk_create(keys, ignore_conflicts=True)
    profiles = SeekerProfile.objects.values_list("pk", "trainee__major", "trainee__education")
    for pk, major, education in profiles.iterator(chunk_size=2000):
        node = catalogue.person(major or "", education or "")
        codes = node.ancestry if node is not None else ["", "", ""]
        SeekerProfile.objects.filter(pk=pk).update(
            major_code=codes[-1], major_class=codes[-2] if len(codes) > 1 else "", major_category=codes[0],
            major_key=normalise(major or ""))


class Migration(migrations.Migration):

    dependencies = [
        ("outreach", "0005_consent_withdrawn_codes_regions"),
        ("jianxi_portal", "0012_load_majors_catalogue"),
    ]

    operations = [
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
