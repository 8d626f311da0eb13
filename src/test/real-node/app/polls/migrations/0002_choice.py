from django.db import migrations, models


class Migration(migrations.Migration):
    """Only in the v2 image."""
    dependencies = [('polls', '0001_initial')]
    operations = [
        migrations.CreateModel(
            name='Choice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name='ID')),
                ('choice_text', models.CharField(max_length=200)),
                ('votes', models.IntegerField(default=0)),
                ('question', models.ForeignKey(on_delete=models.deletion.CASCADE,
                                               to='polls.question')),
            ],
        ),
    ]
